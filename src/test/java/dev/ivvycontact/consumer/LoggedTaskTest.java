package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item D: a scheduled executor keeps what a task throws in a future nobody reads; a retry's or a probe's
 * failure must leave a log line, with its stack trace.
 */
class LoggedTaskTest {

    @Test
    void aScheduledTaskThatThrowsIsLoggedWithItsStackTrace() throws Exception {
        List<LogEvent> events = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("captured", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        capture.start();
        LoggerConfig logger = new LoggerConfig(LoggedTask.class.getName(), Level.ERROR, true);
        logger.addAppender(capture, Level.ERROR, null);
        context.getConfiguration().addLogger(LoggedTask.class.getName(), logger);
        context.updateLoggers();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            var future = timer.schedule(LoggedTask.of("The iVvy circuit's probe", () -> {
                throw new IllegalStateException("the worker pool of a stopped consumer");
            }), 0, TimeUnit.MILLISECONDS);
            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class);
            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getMessage().getFormattedMessage()).isEqualTo("The iVvy circuit's probe failed");
                assertThat(event.getThrown()).hasMessage("the worker pool of a stopped consumer");
            });
        } finally {
            timer.shutdownNow();
            context.getConfiguration().removeLogger(LoggedTask.class.getName());
            context.updateLoggers();
        }
    }
}
