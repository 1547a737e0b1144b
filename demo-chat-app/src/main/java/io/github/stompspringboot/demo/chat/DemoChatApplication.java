package io.github.stompspringboot.demo.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A chat room on the embedded STOMP broker: browsers over SockJS, telnet and friends over
 * TCP.
 */
@SpringBootApplication
@EnableConfigurationProperties(ChatProperties.class)
public class DemoChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoChatApplication.class, args);
	}

}
