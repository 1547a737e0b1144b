package io.github.stompspringboot.clients;

import io.github.stompspringboot.bridge.app.TcpBridgeTestApplication;
import io.github.stompspringboot.support.ExternalClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's stomp.py and PHP's Stomp extension calling an application's controllers over
 * TCP: the same {@code @MessageMapping}, {@code @SendToUser} and {@code Principal} a
 * browser gets.
 */
@DirtiesContext
@SpringBootTest(classes = TcpBridgeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1" })
class MessageMappingClientsTests {

	@Value("${local.stomp.port}")
	private int stompPort;

	@Test
	void stompPyCallsAControllerAndGetsItsSendToUserReplyReceiptsAndErrors() {
		ExternalClient.STOMP_PY.assumeInstalled();
		String output = ExternalClient.STOMP_PY.run("stomp_py_message_mapping.py", this.stompPort, "pyuser")
			.assertSucceeded()
			.output();
		assertThat(output).contains("reply on /user/queue/whoami: pyuser over tcp")
			.contains("OK receipt send-2")
			.contains("error: The application failed on SEND to /app/fail");
	}

	@Test
	void phpStompCallsAControllerAndGetsItsSendToUserReply() {
		ExternalClient.PHP_STOMP.assumeInstalled();
		String output = ExternalClient.PHP_STOMP.run("php_message_mapping.php", this.stompPort, "phpuser")
			.assertSucceeded()
			.output();
		assertThat(output).contains("OK receipt send-1")
			.contains("reply on /user/queue/whoami: phpuser over tcp")
			.contains("DONE");
	}

}
