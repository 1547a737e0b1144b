package io.github.stompspringboot.actuate;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator in front of the admin page: Debian's chromium, headless, through Debian's
 * chromedriver (never one Selenium Manager would download), with a fresh profile.
 */
final class AdminBrowser implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ChromeDriver driver;

	private final Path profile;

	AdminBrowser() throws IOException {
		this.profile = Files.createTempDirectory("admin-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--disable-extensions", "--disable-default-apps", "--lang=en-GB", "--window-size=1360,1100",
				"--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	static boolean available() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	AdminBrowser open(String url) {
		this.driver.get(url);
		return this;
	}

	String pageText() {
		return until((d) -> d.findElement(By.tagName("body"))).getText();
	}

	/** Waits until the page has drawn fresh data from the broker. */
	void awaitLive() {
		until((d) -> "live".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
	}

	String text(String id) {
		return this.driver.findElement(By.id(id)).getText();
	}

	/**
	 * The text of a cell (CSS class) in the row of a table whose attribute has this
	 * value, once the row shows. Read in one go: the page redraws its tables on every
	 * poll, so an element held across polls goes stale.
	 */
	String cell(String table, String attribute, String key, String cellClass) {
		return until((d) -> {
			WebElement row = row(d, table, attribute, key);
			return (row != null) ? row.findElement(By.cssSelector("." + cellClass)).getText() : null;
		});
	}

	/** The whole text of that row, once it shows. */
	String rowText(String table, String attribute, String key) {
		return until((d) -> {
			WebElement row = row(d, table, attribute, key);
			return (row != null) ? row.getText() : null;
		});
	}

	boolean hasRow(String table, String attribute, String key) {
		return row(this.driver, table, attribute, key) != null;
	}

	private static WebElement row(WebDriver driver, String table, String attribute, String key) {
		return driver.findElements(By.cssSelector("#" + table + " tr[" + attribute + "]"))
			.stream()
			.filter((row) -> key.equals(row.getDomAttribute(attribute)))
			.findFirst()
			.orElse(null);
	}

	/**
	 * Clicks a destination's action button and accepts the confirmation it asks for;
	 * returns the question.
	 */
	String clickAndConfirm(String destination, String action) {
		until((d) -> {
			WebElement row = row(d, "destinations", "data-destination", destination);
			if (row == null) {
				return null;
			}
			row.findElement(By.cssSelector("button[data-action='" + action + "']")).click();
			return true;
		});
		String question = until((d) -> {
			try {
				return d.switchTo().alert().getText();
			}
			catch (org.openqa.selenium.NoAlertPresentException ex) {
				return null;
			}
		});
		this.driver.switchTo().alert().accept();
		return question;
	}

	String awaitNotice() {
		return until((d) -> {
			WebElement notice = d.findElement(By.id("notice"));
			return notice.isDisplayed() ? notice.getText() : null;
		});
	}

	<T> T until(Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
			.until(condition::apply);
	}

	void screenshot(Path target) throws IOException {
		File file = this.driver.getScreenshotAs(OutputType.FILE);
		Files.createDirectories(target.getParent());
		Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
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
