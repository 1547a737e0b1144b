package io.github.stompspringboot.actuate;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.support.RawStompClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin page in a real Chromium: it shows a TCP client's connection and a queue's
 * depth, purges from a button, and refuses a user without the admin permission.
 */
class StompAdminPageTests {

	private static final String[] SECURED = { "stomp.admin.enabled=true", "stomp.broker.security.users[0].login=ops",
			"stomp.broker.security.users[0].password={noop}ops-pw", "stomp.broker.security.users[0].groups=operators",
			"stomp.broker.security.users[1].login=app", "stomp.broker.security.users[1].password={noop}app-pw",
			"stomp.broker.security.users[1].groups=apps", "stomp.broker.security.rules[0].actions=connect admin",
			"stomp.broker.security.rules[0].groups=operators",
			"stomp.broker.security.rules[1].actions=connect send receive create",
			"stomp.broker.security.rules[1].groups=apps", "stomp.broker.security.login-failure.delay=0s" };

	@BeforeAll
	static void chromium() {
		Assumptions.assumeTrue(AdminBrowser.available(),
				"Skipped: needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
	}

	@Test
	void pageListsATcpClientAndItsQueueAndPurgesItWithAConfirmation() throws Exception {
		try (OperationsApplication app = OperationsApplication.start("stomp.admin.enabled=true",
				"stomp.admin.refresh-interval=300ms");
				RawStompClient producer = RawStompClient.connect(app.stompPort(), "1.2");
				RawStompClient listener = RawStompClient.connect(app.stompPort(), "1.1");
				AdminBrowser browser = new AdminBrowser()) {
			for (int i = 1; i <= 3; i++) {
				producer.sendWithReceipt("/queue/orders.incoming", "{\"order\":" + i + "}");
			}
			listener.send("SUBSCRIBE\nid:news\ndestination:/topic/prices\nreceipt:r\n\n\0");
			listener.awaitReceipt("r");
			String producerId = producer.connected().header("session");

			browser.open(app.url("/stomp-admin"));
			browser.awaitLive();
			assertThat(browser.cell("connections", "data-connection", producerId, "transport")).isEqualTo("tcp");
			assertThat(browser.rowText("connections", "data-connection", producerId)).contains("127.0.0.1")
				.contains("1.2");
			browser.until((d) -> "3"
				.equals(browser.cell("destinations", "data-destination", "/queue/orders.incoming", "depth")));
			assertThat(browser.rowText("destinations", "data-destination", "/topic/prices")).contains("topic");
			assertThat(browser.text("access-note")).contains("loopback");

			// Traffic in bursts the page sees one by one, so its rate chart has something
			// to draw.
			listener.send("SUBSCRIBE\nid:work\ndestination:/queue/orders.processed\nreceipt:r-work\n\n\0");
			listener.awaitReceipt("r-work");
			int published = 3;
			for (int burst = 1; burst <= 10; burst++) {
				for (int i = 0; i < 20 + (burst % 4) * 25; i++) {
					producer.send("SEND\ndestination:/queue/orders.processed\n\n{\"n\":" + i + "}\0");
					producer.send("SEND\ndestination:/topic/prices\n\n{\"price\":" + i + "}\0");
					published += 2;
				}
				producer.sendWithReceipt("/queue/orders.processed", "end of burst " + burst);
				published++;
				String expected = String.format(java.util.Locale.UK, "%,d in total", published);
				browser.until((d) -> expected.equals(browser.text("total-published")));
			}
			browser.screenshot(Path.of("target", "stomp-admin.png"));

			String question = browser.clickAndConfirm("/queue/orders.incoming", "purge");
			assertThat(question).contains("Purge the 3 message(s) waiting in /queue/orders.incoming");
			assertThat(browser.awaitNotice()).isEqualTo("Purged 3 message(s) from /queue/orders.incoming.");
			StompBroker broker = app.context().getBean(StompBroker.class);
			assertThat(broker.destinations().depth("/queue/orders.incoming")).isZero();
			// an empty queue nobody consumes is reclaimed, so its row goes
			browser.until((d) -> !browser.hasRow("destinations", "data-destination", "/queue/orders.incoming"));
		}
	}

	@Test
	void aUserWithoutTheAdminPermissionIsRefusedAndAnAdminGetsIn() throws Exception {
		try (OperationsApplication app = OperationsApplication.start(SECURED);
				AdminBrowser browser = new AdminBrowser()) {
			String base = "http://%s@127.0.0.1:" + app.httpPort() + "/stomp-admin/";
			browser.open(String.format(base, "app:app-pw"));
			assertThat(browser.pageText()).contains("User app lacks the admin permission");

			try (AdminBrowser admin = new AdminBrowser()) {
				admin.open(String.format(base, "ops:ops-pw"));
				admin.awaitLive();
				assertThat(admin.text("who")).isEqualTo("signed in as ops");
				assertThat(admin.text("access-note")).contains("only users with the admin permission");
			}
		}
	}

	@Test
	void theApiRefusesWritesWithoutThePagesHeaderAndStrangersWithoutCredentials() throws Exception {
		try (OperationsApplication app = OperationsApplication.start(SECURED)) {
			HttpResponse<String> anonymous = app.get("/stomp-admin/api/overview");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Basic"));
			HttpResponse<String> withoutHeader = app.post("/stomp-admin/api/purge?destination=/queue/x", "", "ops",
					"ops-pw");
			assertThat(withoutHeader.statusCode()).isEqualTo(403);
			assertThat(withoutHeader.body()).contains("X-Stomp-Admin");
		}
	}

	@Test
	void thePageIsOffUnlessEnabled() throws Exception {
		try (OperationsApplication app = OperationsApplication.start()) {
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(app.get("/stomp-admin/").statusCode()).isEqualTo(404));
		}
	}

}
