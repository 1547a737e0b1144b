package io.github.stompspringboot.demo.chat;

import java.io.IOException;

import io.github.stompspringboot.demo.chat.support.ChatBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat with a broker user configured: that user's nickname is only for whoever gives
 * its passcode on the page, checked by the broker; every other nickname works as without
 * users.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"logging.level.org.openqa.selenium=error", "stomp.broker.security.users[0].login=mtchang",
				"stomp.broker.security.users[0].password={noop}s3cret", "stomp.broker.security.login-failure.delay=0s",
				"stomp.broker.security.login-failure.max-delay=0s" })
class ChatLoginPageTests {

	@LocalServerPort
	private int port;

	private static ChatBrowser browser;

	@BeforeAll
	static void startChromium() throws IOException {
		assumeTrue(ChatBrowser.available(),
				"chromium and chromedriver not installed: apt-get install chromium chromium-driver");
		browser = new ChatBrowser();
	}

	@AfterEach
	void leavePage() {
		browser.blank();
	}

	@AfterAll
	static void closeChromium() throws IOException {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	void nicknameOfABrokerUserWithoutItsPasscodeIsRefusedAndThePasscodeFieldShown() {
		String error = page().submitJoin("mtchang", null).awaitJoinError();
		assertThat(error).contains("belongs to a broker user").contains("passcode");
		assertThat(browser.passcodeFieldShown()).isTrue();
	}

	@Test
	void wrongPasscodeGetsTheBrokersError() {
		assertThat(page().submitJoin("mtchang", "guess").awaitJoinError()).contains("access refused");
	}

	@Test
	void rightPasscodeJoinsAsThatUser() {
		page().submitJoin("mtchang", "s3cret").awaitConnected();
		browser.awaitOnline("mtchang");
	}

	@Test
	void otherNicknamesNeedNoPasscode() {
		page().submitJoin("ada", null).awaitConnected();
	}

	private ChatBrowser page() {
		return browser.at("http://127.0.0.1:" + this.port);
	}

}
