package io.roomkit.starter;

import io.roomkit.channel.WebSocketChannel;
import io.roomkit.hook.Hook;
import io.roomkit.hook.HookResult;
import io.roomkit.hook.HookTrigger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** An application as a new user writes it: the starter, application.yml and annotated beans. */
// README:beans:begin
@SpringBootApplication
public class ChatApplication {

    @Bean   // every Channel bean is registered with the kit
    WebSocketChannel supportDesk() {
        return new WebSocketChannel("ws-support-desk");
    }

    @Bean   // every Hook bean runs in the pipeline
    Hook noShouting() {
        return Hook.of(HookTrigger.BEFORE_BROADCAST, "no-shouting", 0, (event, context) -> {
            String text = event.content().plainText();
            boolean shouting = !text.isBlank() && text.equals(text.toUpperCase());
            return shouting ? HookResult.block("no shouting") : HookResult.allow();
        });
    }
}
// README:beans:end
