package io.github.stompspringboot.clients;

import io.github.stompspringboot.support.ExternalClient;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Ruby's stomp gem (STOMP 1.2) and Perl's Net::Stomp (STOMP 1.0): a round trip each. */
class RubyAndPerlClientTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void rubyStompSendsSubscribesReceivesAndAcks() {
		String output = ExternalClient.RUBY_STOMP.run("ruby_round_trip.rb", this.broker.port(), "/queue/ruby")
			.assertSucceeded()
			.output();
		assertThat(output).contains("received MESSAGE hello from ruby").contains("OK round trip");
	}

	@Test
	void perlNetStompSendsSubscribesReceivesAndAcks() {
		String output = ExternalClient.PERL_NET_STOMP.run("perl_round_trip.pl", this.broker.port(), "/queue/perl")
			.assertSucceeded()
			.output();
		assertThat(output).contains("received MESSAGE hello from perl").contains("OK round trip");
	}

}
