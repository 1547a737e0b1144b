package io.github.stompspringboot.demo.chat.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person in front of the chat page: Debian's chromium, headless, driven through
 * Debian's chromedriver (never one Selenium Manager would download). Each instance is its
 * own browser with a fresh profile, so two of them are two people.
 */
public final class ChatBrowser implements AutoCloseable {

	public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ChromeDriver driver;

	private final Path profile;

	private String baseUrl;

	private String nickname;

	public ChatBrowser() throws IOException {
		this.profile = Files.createTempDirectory("chat-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-extensions", "--disable-default-apps", "--lang=en-GB", "--window-size=900,700",
				"--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	/** Where the chat runs. */
	public ChatBrowser at(String baseUrl) {
		this.baseUrl = baseUrl;
		return this;
	}

	/** Opens any page, such as one a test serves itself. */
	public void open(String url) {
		this.driver.get(url);
	}

	/** Leaves the chat page (its connection closes) for an empty one. */
	public void blank() {
		this.driver.get("about:blank");
	}

	public static boolean available() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	/**
	 * Opens the page and joins with this nickname, in the given room (null: the default).
	 */
	public ChatBrowser join(String nickname, String room) {
		return joinPage(nickname, "/" + ((room != null) ? "?room=" + room : ""));
	}

	/**
	 * Opens the page with SockJS restricted to one transport (sockjs-client's
	 * {@code transports} option, through the page's {@code ?transport=} parameter) and
	 * joins the room.
	 */
	public ChatBrowser joinOver(String transport, String nickname, String room) {
		return joinPage(nickname, "/?room=" + room + "&transport=" + transport);
	}

	/**
	 * From now on, every page this browser opens has no WebSocket constructor, as in a
	 * browser behind a proxy that blocks WebSocket or one too old to have it.
	 */
	public ChatBrowser withoutWebSocket() {
		this.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source",
				"delete window.WebSocket; window.WebSocket = undefined;" + " delete window.MozWebSocket;"));
		return this;
	}

	/**
	 * The SockJS transport the page connected with (sockjs-client's name, such as
	 * "xhr-polling").
	 */
	public String transport() {
		return this.driver.findElement(By.id("status")).getDomAttribute("data-transport");
	}

	private ChatBrowser joinPage(String nickname, String path) {
		this.nickname = nickname;
		this.driver.get(this.baseUrl + path);
		WebElement field = until((d) -> d.findElement(By.id("nickname")));
		field.clear();
		field.sendKeys(nickname);
		this.driver.findElement(By.id("join-button")).click();
		awaitConnected();
		return this;
	}

	/**
	 * Joins with a nickname the server refuses (the form's own check is switched off, as
	 * an old browser or a hand-made client would) and returns the error the join form
	 * shows.
	 */
	public String joinRefused(String nickname) {
		this.driver.get(this.baseUrl + "/");
		WebElement field = until((d) -> d.findElement(By.id("nickname")));
		script("document.getElementById('nickname').removeAttribute('pattern');");
		field.clear();
		field.sendKeys(nickname);
		this.driver.findElement(By.id("join-button")).click();
		return until((d) -> {
			WebElement error = d.findElement(By.id("join-error"));
			return error.isDisplayed() ? error.getText() : null;
		});
	}

	/**
	 * Fills the join form with a nickname and, in the form's passcode field, a passcode
	 * (the login field left empty: the nickname is the login), and joins.
	 */
	public ChatBrowser submitJoin(String nickname, String passcode) {
		this.nickname = nickname;
		this.driver.get(this.baseUrl + "/");
		WebElement field = until((d) -> d.findElement(By.id("nickname")));
		field.clear();
		field.sendKeys(nickname);
		if (passcode != null) {
			script("document.getElementById('credentials').open = true;");
			WebElement passcodeField = this.driver.findElement(By.id("passcode"));
			passcodeField.clear();
			passcodeField.sendKeys(passcode);
		}
		this.driver.findElement(By.id("join-button")).click();
		return this;
	}

	/** The error the join form shows. */
	public String awaitJoinError() {
		return until((d) -> {
			WebElement error = d.findElement(By.id("join-error"));
			return error.isDisplayed() ? error.getText() : null;
		});
	}

	/** Whether the join form's passcode field is on show. */
	public boolean passcodeFieldShown() {
		return this.driver.findElement(By.id("passcode")).isDisplayed();
	}

	public void awaitConnected() {
		until((d) -> "connected".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
		until((d) -> d.findElement(By.id("message-input")).isEnabled());
	}

	public String status() {
		return this.driver.findElement(By.id("status")).getDomAttribute("data-state");
	}

	/** Types a message in the current conversation and presses Enter. */
	public void say(String text) {
		WebElement input = until((d) -> {
			WebElement element = d.findElement(By.id("message-input"));
			return element.isEnabled() ? element : null;
		});
		input.sendKeys(text);
		input.sendKeys("\n");
	}

	/**
	 * Waits until the current conversation shows a message with exactly this text;
	 * returns its line.
	 */
	public WebElement awaitMessage(String text) {
		return until((d) -> messageLines().stream()
			.filter((line) -> text.equals(line.findElement(By.cssSelector(".text")).getText()))
			.findFirst()
			.orElse(null));
	}

	public String senderOf(WebElement line) {
		return line.findElement(By.cssSelector(".nick")).getText();
	}

	public List<String> messageTexts() {
		return messageLines().stream().map((line) -> line.findElement(By.cssSelector(".text")).getText()).toList();
	}

	private List<WebElement> messageLines() {
		return this.driver.findElements(By.cssSelector("#messages li.msg"));
	}

	/** Waits until the "Online" list shows exactly these people. */
	public void awaitOnline(String... nicknames) {
		List<String> expected = Stream.of(nicknames).sorted(String.CASE_INSENSITIVE_ORDER).toList();
		until((d) -> expected.equals(online()));
	}

	public List<String> online() {
		return this.driver.findElements(By.cssSelector("#user-list li"))
			.stream()
			.map((li) -> li.getDomAttribute("data-user"))
			.sorted(String.CASE_INSENSITIVE_ORDER)
			.toList();
	}

	/** Clicks a name in the "Online" list: the private conversation with that person. */
	public void openPrivateConversationWith(String nickname) {
		until((d) -> d.findElement(By.cssSelector("#user-list li[data-user='" + nickname + "']"))).click();
		until((d) -> ("@ " + nickname).equals(d.findElement(By.id("conversation-title")).getText()));
	}

	/**
	 * Waits for a conversation to appear in the sidebar with an unread badge, then opens
	 * it.
	 */
	public void openUnread(String conversation) {
		until((d) -> d.findElement(By.cssSelector("li[data-conversation='" + conversation + "'] .badge"))).click();
		// the conversation is drawn anew once open: lines found before would be stale
		String title = (conversation.startsWith("dm:") ? "@ " : "# ")
				+ conversation.substring(conversation.indexOf(':') + 1);
		until((d) -> title.equals(d.findElement(By.id("conversation-title")).getText()));
	}

	public void openRoom(String room) {
		until((d) -> d.findElement(By.cssSelector("#room-list li[data-conversation='room:" + room + "']"))).click();
		until((d) -> ("# " + room).equals(d.findElement(By.id("conversation-title")).getText()));
	}

	/** The whole text of the page, wherever it sits. */
	public String pageText() {
		return (String) ((JavascriptExecutor) this.driver).executeScript("return document.body.textContent;");
	}

	public Object script(String script) {
		return ((JavascriptExecutor) this.driver).executeScript(script);
	}

	public void leave() {
		this.driver.findElement(By.id("leave")).click();
		until((d) -> d.findElement(By.id("join")).isDisplayed());
	}

	public String nickname() {
		return this.nickname;
	}

	public File screenshot() {
		return this.driver.getScreenshotAs(OutputType.FILE);
	}

	public <T> T until(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
		return new WebDriverWait(this.driver, WAIT, Duration.ofMillis(50)).ignoring(RuntimeException.class)
			.until(condition);
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

}
