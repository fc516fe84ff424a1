package io.roomkit.spring.stomp;

import io.roomkit.spring.stomp.app.StompTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Without Spring Security and with trust-client-login off (the default), nobody may connect. */
@SpringBootTest(classes = StompTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UntrustedLoginTest {

    @LocalServerPort
    int port;

    @Test
    void anonymousConnectGetsAnErrorFrameAndIsClosed() throws Exception {
        assertThat(StompTestClient.refusedConnect(port, null)).hasSize(2).satisfies(answers -> {
            assertThat(answers.get(0)).startsWith("ERROR Unauthenticated CONNECT refused");
            assertThat(answers.get(1)).isEqualTo("closed");
        });
    }

    @Test
    void loginHeaderIsNotTrusted() throws Exception {
        assertThat(StompTestClient.refusedConnect(port, "alice")).hasSize(2).first().asString()
                .startsWith("ERROR Unauthenticated CONNECT refused");
    }
}
