package io.github.stompspringboot.demo.chat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.demo.chat.support.ChatBrowser;
import io.github.stompspringboot.test.StompFrame;
import io.github.stompspringboot.test.StompTestClient;
import io.github.stompspringboot.test.StompTestClient.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat as people use it: real chromium windows on the page, next to telnet-like and
 * PHP clients on the broker's TCP port, all in the same rooms.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"stomp.broker.tcp.host=127.0.0.1", "logging.level.org.openqa.selenium=error" })
class ChatPageTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Environment environment;

	@Autowired
	private StompBroker broker;

	@Value("${chat.screenshot:target/chat-two-tabs.png}")
	private Path screenshot;

	/** Started once and reused: a chromium takes seconds to start on a small machine. */
	private static final List<ChatBrowser> browsers = new ArrayList<>();

	private int browsersInUse;

	@BeforeAll
	static void chromiumInstalled() {
		assumeTrue(ChatBrowser.available(),
				"chromium and chromedriver not installed: apt-get install chromium chromium-driver");
	}

	@AfterEach
	void leavePages() {
		browsers.forEach(ChatBrowser::blank);
	}

	@AfterAll
	static void closeBrowsers() throws IOException {
		for (ChatBrowser browser : browsers) {
			browser.close();
		}
		browsers.clear();
	}

	@Test
	void twoPeopleInOneRoomSeeEachOtherAndEachOthersMessages() throws IOException {
		ChatBrowser ada = browser().join("ada", "general");
		ChatBrowser linus = browser().join("linus", "general");
		ada.awaitOnline("ada", "linus");
		linus.awaitOnline("ada", "linus");

		ada.say("Hi Linus! Is the broker embedded?");
		WebElement line = linus.awaitMessage("Hi Linus! Is the broker embedded?");
		assertThat(linus.senderOf(line)).isEqualTo("ada");
		linus.say("Yes, in the same JVM: no RabbitMQ to install. Très simple !");
		ada.awaitMessage("Yes, in the same JVM: no RabbitMQ to install. Très simple !");
		ada.say("And telnet can join the room too.");
		linus.awaitMessage("And telnet can join the room too.");
		sendOverTcp("general", Map.of("nickname", "telnet"), "hello from telnet on port 61613");
		ada.awaitMessage("hello from telnet on port 61613");
		linus.awaitMessage("hello from telnet on port 61613");

		saveSideBySide(ada, linus);
	}

	@Test
	void lateJoinerSeesTheRecentMessagesOfTheRoom() throws IOException {
		ChatBrowser ada = browser().join("ada", "history");
		ada.say("first");
		ada.awaitMessage("first");
		ada.say("second");
		ada.awaitMessage("second");

		ChatBrowser grace = browser().join("grace", "history");
		grace.awaitMessage("second");
		assertThat(grace.messageTexts()).containsSubsequence("first", "second");
	}

	@Test
	void privateMessageReachesOnlyItsAddressee() throws IOException {
		ChatBrowser ada = browser().join("ada", "secrets");
		ChatBrowser bob = browser().join("bob", "secrets");
		ChatBrowser eve = browser().join("eve", "secrets");
		ada.awaitOnline("ada", "bob", "eve");

		ada.openPrivateConversationWith("bob");
		ada.say("psst, the passcode is swordfish");
		ada.awaitMessage("psst, the passcode is swordfish");
		bob.openUnread("dm:ada");
		assertThat(bob.senderOf(bob.awaitMessage("psst, the passcode is swordfish"))).isEqualTo("ada");

		// said after the secret on the same connection: once eve has it, she would have
		// had the secret
		ada.openRoom("secrets");
		ada.say("nothing to see here");
		eve.awaitMessage("nothing to see here");
		assertThat(eve.pageText()).doesNotContain("swordfish");
	}

	@Test
	void messagesFromATcpClientShowInTheRoomAndPageMessagesReachIt() throws IOException {
		ChatBrowser ada = browser().join("ada", "tcp");
		try (StompTestClient telnet = StompTestClient.tcp(stompPort()).connect()) {
			Subscription room = telnet.subscribe("/topic/chat.tcp");

			telnet.send("/topic/chat.tcp", "plain text from telnet\n", Map.of("content-type", "text/plain"));
			WebElement plain = ada.awaitMessage("plain text from telnet");
			assertThat(ada.senderOf(plain)).isEqualTo("telnet");
			telnet.send("/topic/chat.tcp", "hi, I am tom", Map.of("nickname", "tom"));
			assertThat(ada.senderOf(ada.awaitMessage("hi, I am tom"))).isEqualTo("tom");
			telnet.send("/topic/chat.tcp", "{\"nickname\":\"json-bot\",\"text\":\"JSON works too\"}",
					Map.of("content-type", "application/json"));
			assertThat(ada.senderOf(ada.awaitMessage("JSON works too"))).isEqualTo("json-bot");

			ada.say("hello, telnet");
			String body = room.awaitMessageContaining("hello, telnet").body();
			assertThat(body).contains("\"nickname\":\"ada\"").contains("\"room\":\"tcp\"").contains("\"timestamp\"");
		}
	}

	@Test
	void telnetUserWithANicknameIsOnlineInTheHistoryAndGetsAPagesPrivateMessage() throws IOException {
		ChatBrowser ada = browser().join("ada", "general");
		try (StompTestClient tom = StompTestClient.tcp(stompPort()).connect(Map.of("nickname", "tom"))) {
			StompTestClient.Subscription whispers = tom.subscribe("/user/queue/private");
			StompTestClient.Subscription room = tom.subscribe("/topic/chat.general");
			ada.awaitOnline("ada", "tom");

			// handled by ChatController.say, as the page's messages are
			tom.send("/app/chat.general", "{\"text\":\"hello from tom's telnet\"}",
					Map.of("content-type", "application/json"));
			assertThat(ada.senderOf(ada.awaitMessage("hello from tom's telnet"))).isEqualTo("tom");
			String live = room.awaitMessageContaining("hello from tom's telnet").body();
			assertThat(live).contains("\"nickname\":\"tom\"").contains("\"room\":\"general\"");
			StompTestClient.Subscription history = tom.subscribe("/app/history.general");
			assertThat(history.awaitMessageContaining("hello from tom's telnet").body()).contains(live);

			ada.openPrivateConversationWith("tom");
			ada.say("psst, tom");
			ada.awaitMessage("psst, tom");
			StompFrame whisper = whispers.awaitMessageContaining("psst, tom");
			assertThat(whisper.header("destination")).isEqualTo("/user/queue/private");
			assertThat(whisper.body()).contains("\"nickname\":\"ada\"").contains("\"to\":\"tom\"");
		}
		ada.awaitOnline("ada");
	}

	@Test
	void phpUserWhoLogsInTalksThroughTheApplication() throws Exception {
		assumeTrue(phpStompInstalled(), "PHP Stomp not installed: apt-get install php-cli php-stomp");
		ChatBrowser ada = browser().join("ada", "phpapp");
		String script = """
				$stomp = new Stomp('tcp://127.0.0.1:%d', 'elephant', '');
				$ok = $stomp->send('/app/chat.phpapp', '{"text":"Hello through the controller"}',
					array('content-type' => 'application/json', 'receipt' => 'said'));
				echo $ok ? "handled\n" : "no receipt\n";
				unset($stomp);
				""".formatted(stompPort());
		Process php = new ProcessBuilder("php", "-r", script).redirectErrorStream(true).start();
		assertThat(php.waitFor(30, TimeUnit.SECONDS)).as("php finished").isTrue();
		String output = new String(php.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(php.exitValue()).as(output).isZero();
		assertThat(output).contains("handled");
		assertThat(ada.senderOf(ada.awaitMessage("Hello through the controller"))).isEqualTo("elephant");
	}

	@Test
	void messageFromPhpStompShowsInTheRoom() throws Exception {
		assumeTrue(phpStompInstalled(), "PHP Stomp not installed: apt-get install php-cli php-stomp");
		ChatBrowser ada = browser().join("ada", "php");
		String script = """
				$stomp = new Stomp('tcp://127.0.0.1:%d');
				$stomp->send('/topic/chat.php', 'Hello from PHP Stomp', array('nickname' => 'php'));
				unset($stomp);
				""".formatted(stompPort());
		Process php = new ProcessBuilder("php", "-r", script).redirectErrorStream(true).start();
		assertThat(php.waitFor(30, TimeUnit.SECONDS)).as("php finished").isTrue();
		assertThat(php.exitValue()).as(new String(php.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.isZero();
		assertThat(ada.senderOf(ada.awaitMessage("Hello from PHP Stomp"))).isEqualTo("php");
	}

	@Test
	void scriptInAMessageIsShownAsTextAndNeverRuns() throws IOException {
		ChatBrowser ada = browser().join("ada", "xss");
		ChatBrowser mallory = browser().join("mallory", "xss");
		String attack = "<script>window.pwned = true</script><img src=x onerror=\"window.pwned = true\">";
		mallory.say(attack);
		ada.awaitMessage(attack);
		sendOverTcp("xss", Map.of("nickname", "<b onmouseover=alert(1)>bold</b>"),
				"<img src=y onerror=\"window.pwned = true\">");
		WebElement line = ada.awaitMessage("<img src=y onerror=\"window.pwned = true\">");
		assertThat(ada.senderOf(line)).isEqualTo("<b onmouseover=alert(1)>bold</b>");
		assertThat(ada.script(
				"return window.pwned === undefined && document.querySelectorAll('#messages img, #messages script, #messages b').length === 0;"))
			.isEqualTo(true);
	}

	@Test
	void refusedNicknameIsExplainedOnTheJoinForm() throws IOException {
		ChatBrowser nobody = browser();
		String error = nobody.joinRefused("two words");
		assertThat(error).contains("Choose a nickname");
	}

	@Test
	void onlineListFollowsJoinsLeavesAndDroppedConnections() throws IOException {
		ChatBrowser ada = browser().join("ada", "general");
		ChatBrowser bob = browser().join("bob", "general");
		ada.awaitOnline("ada", "bob");

		bob.leave();
		ada.awaitOnline("ada");
		ada.awaitMessage("bob left");

		ChatBrowser carol = browser().join("carol", "general");
		ada.awaitOnline("ada", "carol");
		ada.awaitMessage("carol joined");
		browsers.remove(carol);
		carol.close(); // the browser goes away without a word: a dropped connection
		ada.awaitOnline("ada");
	}

	@Test
	void pageReconnectsByItselfWhenTheBrokerDropsIt() throws IOException {
		ChatBrowser ada = browser().join("ada", "again");
		ChatBrowser bob = browser().join("bob", "again");
		this.broker.sessions().forEach(StompSession::shutdown);

		ada.until((driver) -> !"connected".equals(ada.status()));
		ada.awaitConnected();
		bob.awaitConnected();
		ada.awaitOnline("ada", "bob");
		ada.say("still here");
		bob.awaitMessage("still here");
	}

	/**
	 * The next person of this test: a browser of its own, with a page loaded afresh on
	 * join.
	 */
	private ChatBrowser browser() throws IOException {
		if (this.browsersInUse == browsers.size()) {
			browsers.add(new ChatBrowser());
		}
		return browsers.get(this.browsersInUse++).at("http://127.0.0.1:" + this.port);
	}

	private int stompPort() {
		return this.environment.getRequiredProperty("local.stomp.port", Integer.class);
	}

	/**
	 * What a person types in telnet: CONNECT (STOMP 1.0), SEND to the room, DISCONNECT
	 * with a receipt.
	 */
	private void sendOverTcp(String room, Map<String, String> headers, String text) throws IOException {
		StompTestClient telnet = StompTestClient.tcp(stompPort()).connect(Map.of("accept-version", "1.0"));
		telnet.send("/topic/chat." + room, text, headers);
		telnet.disconnect();
	}

	private static boolean phpStompInstalled() {
		try {
			Process php = new ProcessBuilder("php", "-r", "exit(class_exists('Stomp') ? 0 : 1);")
				.redirectErrorStream(true)
				.start();
			return php.waitFor(20, TimeUnit.SECONDS) && php.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

	/** The README's picture: two people, side by side. */
	private void saveSideBySide(ChatBrowser left, ChatBrowser right) throws IOException {
		BufferedImage a = ImageIO.read(left.screenshot());
		BufferedImage b = ImageIO.read(right.screenshot());
		int gap = 16;
		BufferedImage both = new BufferedImage(a.getWidth() + gap + b.getWidth(),
				Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = both.createGraphics();
		graphics.setColor(new Color(0x9aa3ae));
		graphics.fillRect(0, 0, both.getWidth(), both.getHeight());
		graphics.drawImage(a, 0, 0, null);
		graphics.drawImage(b, a.getWidth() + gap, 0, null);
		graphics.dispose();
		Files.createDirectories(this.screenshot.toAbsolutePath().getParent());
		ImageIO.write(both, "png", this.screenshot.toFile());
	}

}
