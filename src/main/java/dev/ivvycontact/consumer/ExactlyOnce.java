package dev.ivvycontact.consumer;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every output, every dead letter and the input offsets of the records they finish, in Kafka transactions of one
 * transactional producer: a {@code read_committed} reader sees each output once, whatever crashes.
 *
 * <p>A round joins the open transaction right before it publishes (beginning one if none is open) and leaves it when it
 * ends. A commit, on the poll thread every interval or once the transaction holds its size in records, first lets no
 * round join, waits for those that joined to leave, then sends the offsets (with their finished-offset metadata) with
 * the consumer's group metadata, so that a member fenced out of the group (a zombie) can never commit (KIP-447), and
 * commits. One round's outputs are thus all in one transaction, with its record's offset, or in none. A round that
 * left without finishing (a send failed, a partition was lost) voids the transaction: it is aborted and every held
 * partition is read again from its last commit. A contact held while iVvy is down never joins, so it keeps no
 * transaction open. A fenced producer (another instance took its transactional id) ends this client: the poll thread
 * makes a new consumer and a new producer, whose {@code initTransactions} aborts what the old one left open.
 */
public final class ExactlyOnce implements ProcessingGuarantee {

    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnce.class);
    private static final Duration SLOW_ROUNDS_WARNING = Duration.ofSeconds(10);

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final MonotonicClock clock;
    private final long intervalNanos;
    private final int maxRecords;
    private volatile Producer<byte[], byte[]> producer;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    // Guarded by this:
    private boolean open;
    private boolean committing;
    private boolean voided;
    private int participants;
    private int records;
    private long openedAt;

    /**
     * {@code producers} makes a transactional producer (a stable {@code transactional.id}); {@code interval} and
     * {@code maxRecords}: a transaction commits when it has been open that long or holds that many records.
     */
    public ExactlyOnce(Supplier<Producer<byte[], byte[]>> producers, Duration interval, int maxRecords) {
        this(producers, MonotonicClock.SYSTEM, interval, maxRecords);
    }

    ExactlyOnce(Supplier<Producer<byte[], byte[]>> producers, MonotonicClock clock, Duration interval, int maxRecords) {
        this.producers = producers;
        this.clock = clock;
        this.intervalNanos = interval.toNanos();
        this.maxRecords = maxRecords;
    }

    /** Transactions committed so far. */
    public long committed() {
        return committed.get();
    }

    /** Transactions aborted so far: each one's records were read again. */
    public long aborted() {
        return aborted.get();
    }

    /** The producer every output and dead letter is sent with; null while no consumer runs. */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public void clientStarted() {
        Producer<byte[], byte[]> made = producers.get();
        try {
            made.initTransactions(); // fences an older producer of this id and aborts what it left open
        } catch (RuntimeException e) {
            made.close(Duration.ZERO);
            throw e;
        }
        synchronized (this) {
            producer = made;
            open = false;
            voided = false;
            notifyAll();
        }
    }

    @Override
    public void clientClosing() {
        Producer<byte[], byte[]> closing;
        synchronized (this) {
            closing = producer;
            producer = null; // rounds that would join now can't publish: they are read again
            awaitParticipants();
            open = false;
        }
        if (closing != null) {
            closing.close(Duration.ofSeconds(5)); // an open transaction is aborted by the next initTransactions
        }
    }

    @Override
    public synchronized void join(InputRecord record) throws PartitionRevokedException {
        if (record.joined()) {
            return;
        }
        while (committing) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PartitionRevokedException(record.partition().partition());
            }
        }
        if (producer == null || !record.mayPublish()) {
            throw new PartitionRevokedException(record.partition().partition());
        }
        if (!open) {
            beginTransaction();
        }
        participants++;
        records++;
        record.joined(true);
    }

    @Override
    public synchronized void left(InputRecord record, boolean finished) {
        record.joined(false);
        participants--;
        if (!finished) {
            voided = true;
        }
        if (participants == 0) {
            notifyAll();
        }
    }

    @Override
    public synchronized boolean commitDue() {
        return open && (records >= maxRecords || clock.nanoTime() - openedAt >= intervalNanos);
    }

    /**
     * A quarter of the interval (at most 200 ms): a transaction may open while the poll thread waits (a round joins),
     * and its commit, which makes its outputs visible, should not wait for records to arrive.
     */
    @Override
    public Duration longestPoll() {
        return Duration.ofNanos(Math.min(Duration.ofMillis(200).toNanos(), Math.max(1_000_000, intervalNanos / 4)));
    }

    @Override
    public void commit(Consumer<byte[], byte[]> client, Supplier<Map<TopicPartition, CommitPoint>> points,
                       java.util.function.Consumer<Map<TopicPartition, CommitPoint>> confirmed, boolean leaving,
                       Runnable rewind) {
        boolean abort;
        synchronized (this) {
            committing = true;
            awaitParticipants();
            abort = voided;
        }
        try {
            if (abort) {
                abort("a round of it could not publish all it had to, or its partition was lost", rewind);
                return;
            }
            Map<TopicPartition, CommitPoint> offsets = points.get();
            if (!open && offsets.isEmpty()) {
                return;
            }
            try {
                if (!open) {
                    beginTransaction();
                }
                if (!offsets.isEmpty()) {
                    producer.sendOffsetsToTransaction(AtLeastOnce.toKafka(offsets), client.groupMetadata());
                }
                producer.commitTransaction();
                committed.incrementAndGet();
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                     | UnsupportedVersionException fatal) {
                throw fatal; // this producer can do nothing more: the client is made anew
            } catch (KafkaException e) {
                abort(e.toString(), rewind);
                return;
            }
            confirmed.accept(offsets);
        } finally {
            synchronized (this) {
                open = false;
                voided = false;
                committing = false;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized void partitionsLost() {
        if (open) {
            voided = true; // it may hold outputs of their records, whose offsets can't be committed any more
        }
    }

    private synchronized void beginTransaction() {
        producer.beginTransaction();
        open = true;
        openedAt = clock.nanoTime();
        records = 0;
    }

    private void abort(String why, Runnable rewind) {
        LOG.warn("Aborting the output transaction ({}): every held partition is read again from its last commit", why);
        if (open) {
            producer.abortTransaction(); // a failure here ends the client, whose next producer aborts it anyway
        }
        aborted.incrementAndGet();
        rewind.run();
    }

    /** Waits until every round that joined has left (each ends once Kafka has answered its sends). */
    private void awaitParticipants() {
        long since = clock.nanoTime();
        boolean interrupted = false;
        while (participants > 0) {
            try {
                wait(SLOW_ROUNDS_WARNING.toMillis());
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (participants > 0 && clock.nanoTime() - since >= SLOW_ROUNDS_WARNING.toNanos()) {
                LOG.warn("The output transaction waits for {} rounds still publishing", participants);
                since = clock.nanoTime();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
