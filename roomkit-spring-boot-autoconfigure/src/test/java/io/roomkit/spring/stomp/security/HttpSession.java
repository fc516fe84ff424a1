package io.roomkit.spring.stomp.security;

import io.roomkit.spring.stomp.security.app.SecuredChatApplication;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user signed in over HTTP through the application's form login, as a browser would: the session cookie and
 * the session's CSRF token (what a page of the application would embed) for the WebSocket handshake and CONNECT.
 *
 * @param cookie     the {@code Cookie} header of the signed-in session
 * @param csrfHeader the name of the CSRF header Spring Security expects
 * @param csrfToken  the session's (masked) CSRF token
 */
record HttpSession(String cookie, String csrfHeader, String csrfToken) {

    /** Signs in with the login form, with the CSRF token the form would carry. */
    static HttpSession signIn(int port, String user) throws IOException, InterruptedException {
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Map<String, String> anonymousCsrf = csrf(http, port);
        String form = "username=" + encode(user) + "&password=" + encode(SecuredChatApplication.PASSWORD)
                + "&_csrf=" + encode(anonymousCsrf.get("token"));
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base(port) + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as("form login of " + user).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).as("redirect after the login of " + user)
                .hasValueSatisfying(location -> assertThat(location).doesNotContain("error"));
        // signing in renews the session id and the CSRF token
        Map<String, String> csrf = csrf(http, port);
        String cookie = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(c -> c.getName() + "=" + c.getValue()).findFirst().orElseThrow();
        return new HttpSession(cookie, csrf.get("header_name"), csrf.get("token"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> csrf(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base(port) + "/csrf")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readValue(response.body(), Map.class);
    }

    private static String base(int port) {
        return "http://localhost:" + port;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
