package io.github.stompspringboot.demo.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A chat room on the embedded STOMP broker: browsers over SockJS, telnet and friends over TCP. */
@SpringBootApplication
public class DemoChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoChatApplication.class, args);
	}

}
