package io.roomkit.spring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real service, for outage tests: {@link #cut()} closes every connection and refuses
 * new ones (as a stopped database or a broken network would), {@link #restore()} accepts connections again on
 * the same port. One thread per direction per connection: enough for a connection pool's handful.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public int port() {
        return port;
    }

    /** Closes every proxied connection and stops accepting new ones. */
    public synchronized void cut() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            abort(socket);
        }
        sockets.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() throws IOException {
        if (listener.isClosed()) {
            listener = listen(port);
            accept(listener);
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket server) {
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    connect(server, server.accept());
                }
                catch (IOException closed) {
                    return;
                }
            }
        }, "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void connect(ServerSocket acceptedBy, Socket client) throws IOException {
        Socket target = new Socket();
        try {
            // its local port may be the proxy's own while the proxy is cut: reusable, so restore() can bind again
            target.setReuseAddress(true);
            target.connect(new InetSocketAddress(targetHost, targetPort));
        }
        catch (IOException unreachable) {
            closeQuietly(target);
            client.close();
            return;
        }
        if (!register(acceptedBy, client, target)) {
            // accepted just before a cut(): a real outage would not let it through either
            abort(client);
            abort(target);
            return;
        }
        pipe(client, target);
        pipe(target, client);
    }

    /** Keeps the pair unless {@link #cut()} ran since it was accepted, atomically with {@code cut()}. */
    private synchronized boolean register(ServerSocket acceptedBy, Socket client, Socket target) {
        if (acceptedBy.isClosed()) {
            return false;
        }
        sockets.add(client);
        sockets.add(target);
        return true;
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException closed) {
                // one side went away: the other is closed below
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Closes with a reset, as a broken network ends a connection: no orderly shutdown leaves the proxy's side of
     * it waiting in TIME_WAIT on the proxy's port, which would keep {@link #restore()} from binding it again.
     */
    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        }
        catch (IOException alreadyClosed) {
            // closed meanwhile by its pipe: nothing left to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // already closed
        }
    }
}
