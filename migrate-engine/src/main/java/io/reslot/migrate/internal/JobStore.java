package io.reslot.migrate.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.reslot.migrate.JobRecord;
import io.reslot.migrate.JobState;
import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Plan;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * Jobs kept in the cluster itself, so that a run that crashed can be resumed from any machine. All keys share the
 * {@code {reslot}} hash tag, so they live in one slot:
 * <pre>
 * {reslot}:jobs              sorted set: job id, scored by creation time (epoch ms)
 * {reslot}:job:&lt;id&gt;          hash: spec (JSON: id, plan, options, createdAt, createdBy), state, updatedAt, lastError
 * {reslot}:job:&lt;id&gt;:done     string used as a bitmap: bit s is set once slot s has moved (at most 2 KB)
 * </pre>
 * A job that reaches {@link JobState#DONE} expires {@link #DONE_RETENTION} (30 days) later; its index entry is removed
 * the next time the index is read. Running and stopped jobs never expire.
 *
 * <p>Every command touches one key (or is a script naming its one key in {@code KEYS}), so a slot-routed connection
 * follows {@code ASK} and {@code MOVED} while the {@code {reslot}} slot itself is being moved, and never meets
 * {@code TRYAGAIN}. The job's hash is written before its index entry, so the index never names a job that does not
 * exist. The store does not take the lock: callers that change a job hold {@link LeaseLock}.
 *
 * <p>Thread-safe; {@link #markDone(String, int)} and its variants may be called from many threads at once.
 */
public final class JobStore {

    /** The index of jobs by creation time. */
    public static final String INDEX_KEY = "{reslot}:jobs";
    /** How long a done job is kept. */
    public static final Duration DONE_RETENTION = Duration.ofDays(30);

    private static final String SPEC = "spec";
    private static final String STATE = "state";
    private static final String UPDATED_AT = "updatedAt";
    private static final String LAST_ERROR = "lastError";
    // BITFIELD SET subcommands per command: keeps each command small while a whole drain takes a handful.
    private static final int BATCH = 1024;

    private static final String CREATE = "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end"
            + " redis.call('HSET', KEYS[1], '" + SPEC + "', ARGV[1], '" + STATE + "', ARGV[2], '" + UPDATED_AT
            + "', ARGV[3]) return 1";
    // Returns the state before (nil if there is no such job); a DONE job is final and left unchanged.
    private static final String TRANSITION = "local before = redis.call('HGET', KEYS[1], '" + STATE + "')"
            + " if not before or before == 'DONE' then return before end"
            + " redis.call('HSET', KEYS[1], '" + STATE + "', ARGV[1], '" + UPDATED_AT + "', ARGV[2])"
            + " if ARGV[3] == '' then redis.call('HDEL', KEYS[1], '" + LAST_ERROR + "')"
            + " else redis.call('HSET', KEYS[1], '" + LAST_ERROR + "', ARGV[3]) end"
            + " if ARGV[1] == 'DONE' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end"
            + " return before";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StatefulRedisClusterConnection<String, String> metadata;

    /** The fixed part of a job, stored as JSON in the hash's {@code spec} field. */
    private record Spec(String id, Plan plan, MoverOptions options, String createdAt, String createdBy) {
    }

    /**
     * @param metadata a slot-routed connection, as {@code ClusterAccess.metadata()} gives
     * @throws NullPointerException if {@code metadata} is null
     */
    public JobStore(StatefulRedisClusterConnection<String, String> metadata) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
    }

    static String jobKey(String id) {
        return "{reslot}:job:" + id;
    }

    static String doneKey(String id) {
        return jobKey(id) + ":done";
    }

    /**
     * Stores a new {@link JobState#RUNNING} job with no slot done, under a fresh id.
     *
     * @throws MigrateException as {@link RedisErrors#classify} says if the cluster cannot be written
     * @throws NullPointerException if an argument is null
     */
    public JobRecord create(Plan plan, MoverOptions options) {
        // 32 random bits: short enough to type; the EXISTS check in CREATE turns a clash into another draw.
        for (int attempt = 1; ; attempt++) {
            Optional<JobRecord> created = create(plan, options, newId());
            if (created.isPresent()) {
                return created.get();
            }
            if (attempt == 16) {
                throw new IllegalStateException("16 random job ids in a row already exist under " + jobKey("*"));
            }
        }
    }

    /** A fresh random job id: 8 hex digits. */
    public static String newId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Stores a new {@link JobState#RUNNING} job with no slot done under {@code id}, unless a job with that id exists.
     *
     * @return the job; empty if the id is taken
     * @throws MigrateException as {@link RedisErrors#classify} says if the cluster cannot be written
     * @throws NullPointerException if an argument is null
     */
    public Optional<JobRecord> create(Plan plan, MoverOptions options, String id) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(id, "id");
        Instant now = now();
        String at = now.toString();
        Spec spec = new Spec(id, plan, options, at, Identity.userAtHost());
        Long created = call(id, c -> c.eval(CREATE, ScriptOutputType.INTEGER, new String[] {jobKey(id)},
                Json.write(spec), JobState.RUNNING.name(), at));
        if (created != 1L) {
            return Optional.empty();
        }
        call(id, c -> c.zadd(INDEX_KEY, now.toEpochMilli(), id));
        return Optional.of(new JobRecord(id, plan, options, JobState.RUNNING, at, at, spec.createdBy(),
                SlotSet.empty(), null));
    }

    /**
     * Records that {@code slot} has moved. One {@code SETBIT}; does not check that the job exists.
     *
     * @throws IllegalArgumentException if {@code slot} is outside 0–16383
     * @throws MigrateException as {@link RedisErrors#classify} says if the cluster cannot be written
     */
    public void markDone(String id, int slot) {
        requireSlot(slot);
        call(id, c -> c.setbit(doneKey(id), slot, 1));
    }

    /**
     * As {@link #markDone(String, int)}, without waiting: the stage completes once the server has set the bit, or
     * exceptionally with a {@link MigrateException} as {@link RedisErrors#classify} says ({@code join()} reports it
     * as the cause of a {@link CompletionException}).
     *
     * @throws IllegalArgumentException if {@code slot} is outside 0–16383
     */
    public CompletionStage<Void> markDoneAsync(String id, int slot) {
        requireSlot(slot);
        return metadata.async().setbit(doneKey(id), slot, 1).handle((previous, failure) -> {
            if (failure == null) {
                return null;
            }
            throw new CompletionException(failure instanceof RedisException
                    ? RedisErrors.classify(where(id), (RedisException) failure) : failure);
        });
    }

    /**
     * Records that all of {@code slots} have moved, with one {@code BITFIELD} per 1024 slots. Checks every slot
     * before writing any.
     *
     * @throws IllegalArgumentException if a slot is outside 0–16383
     * @throws MigrateException as {@link RedisErrors#classify} says if the cluster cannot be written; some of the
     *     slots may have been recorded
     */
    public void markDone(String id, int... slots) {
        for (int slot : slots) {
            requireSlot(slot);
        }
        for (int from = 0; from < slots.length; from += BATCH) {
            BitFieldArgs args = new BitFieldArgs();
            for (int i = from; i < Math.min(slots.length, from + BATCH); i++) {
                args.set(BitFieldArgs.unsigned(1), BitFieldArgs.offset(slots[i]), 1);
            }
            call(id, c -> c.bitfield(doneKey(id), args));
        }
    }

    /**
     * The job with this id, its {@link JobRecord#done()} read from the bitmap. Ids are matched ignoring case.
     *
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} naming the id and listing the unfinished jobs if
     *     there is no such job (or it was done more than 30 days ago); {@link MigrateErrorCode#PROTOCOL} if its record
     *     cannot be read; otherwise as {@link RedisErrors#classify} says
     */
    public JobRecord load(String id) {
        String normal = normalise(id);
        return find(normal).orElseThrow(() -> missing(normal));
    }

    /**
     * The newest job that is not {@link JobState#DONE}, which {@code reslot resume} without {@code --job} picks.
     *
     * @throws MigrateException as for {@link #load(String)}
     */
    public Optional<JobRecord> latestUnfinished() {
        for (String id : indexed()) {
            String state = call(id, c -> c.hget(jobKey(id), STATE));
            if (state == null) {
                forget(id);
            } else if (!state.equals(JobState.DONE.name())) {
                return find(id);
            }
        }
        return Optional.empty();
    }

    /**
     * Every job kept in the cluster, newest first.
     *
     * @throws MigrateException as for {@link #load(String)}
     */
    public List<JobRecord> list() {
        List<JobRecord> jobs = new ArrayList<>();
        for (String id : indexed()) {
            find(id).ifPresentOrElse(jobs::add, () -> forget(id));
        }
        return jobs;
    }

    /**
     * Ends a run of the job: {@link JobState#STOPPED} with the error that stopped it, or {@link JobState#DONE} (which
     * starts the 30 days after which the job expires). Finishing a done job as done again changes nothing.
     *
     * @param error why the run stopped; null (or empty) for none
     * @throws IllegalArgumentException if {@code state} is {@link JobState#RUNNING}: use {@link #resume(String)}
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if there is no such job, or it is done and
     *     {@code state} is not; otherwise as {@link RedisErrors#classify} says
     */
    public void finish(String id, JobState state, String error) {
        requireArgument(state != JobState.RUNNING, "a job is finished as STOPPED or DONE, not %s; resume() makes it "
                + "RUNNING again", state);
        transition(normalise(id), state, error);
    }

    /**
     * Makes a stopped job, or one whose run crashed while {@link JobState#RUNNING}, running again and clears its last
     * error. The caller holds the lock.
     *
     * @throws MigrateException {@link MigrateErrorCode#BAD_INPUT} if there is no such job or it is done; otherwise as
     *     {@link RedisErrors#classify} says
     */
    public void resume(String id) {
        transition(normalise(id), JobState.RUNNING, null);
    }

    private void transition(String id, JobState state, String error) {
        String before = call(id, c -> c.eval(TRANSITION, ScriptOutputType.VALUE, new String[] {jobKey(id)},
                state.name(), now().toString(), error == null ? "" : error,
                Long.toString(DONE_RETENTION.toMillis())));
        if (before == null) {
            throw missing(id);
        }
        if (before.equals(JobState.DONE.name()) && state != JobState.DONE) {
            throw new MigrateException(MigrateErrorCode.BAD_INPUT, "job " + id + " is done; nothing was changed");
        }
        if (state == JobState.DONE) {
            call(id, c -> c.pexpire(doneKey(id), DONE_RETENTION.toMillis()));
        }
    }

    private Optional<JobRecord> find(String id) {
        Map<String, String> fields = call(id, c -> c.hgetall(jobKey(id)));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String spec = fields.get(SPEC);
        String state = fields.get(STATE);
        if (spec == null || state == null) {
            throw new MigrateException(MigrateErrorCode.PROTOCOL,
                    jobKey(id) + " is not a job record of reslot: it has no " + (spec == null ? SPEC : STATE) + " field");
        }
        Spec fixed = Json.read(spec, Spec.class, jobKey(id));
        JobState current;
        try {
            current = JobState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new MigrateException(MigrateErrorCode.PROTOCOL, jobKey(id) + " has an unknown state " + state, e);
        }
        byte[] bitmap = call(id, c -> c.dispatch(CommandType.GET, new ByteArrayOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addKey(doneKey(id))));
        return Optional.of(new JobRecord(fixed.id(), fixed.plan(), fixed.options(), current, fixed.createdAt(),
                fields.getOrDefault(UPDATED_AT, fixed.createdAt()), fixed.createdBy(), slotsOf(bitmap),
                fields.get(LAST_ERROR)));
    }

    /** The slots whose bits are set in a Redis bitmap, where bit 0 is the most significant bit of the first byte. */
    static SlotSet slotsOf(byte[] bitmap) {
        if (bitmap == null) {
            return SlotSet.empty();
        }
        int[] slots = new int[KeySlot.SLOT_COUNT];
        int n = 0;
        for (int i = 0; i < Math.min(bitmap.length, KeySlot.SLOT_COUNT / 8); i++) {
            for (int bit = 0; bit < 8; bit++) {
                if ((bitmap[i] & (0x80 >>> bit)) != 0) {
                    slots[n++] = i * 8 + bit;
                }
            }
        }
        return SlotSet.of(Arrays.copyOf(slots, n));
    }

    private List<String> indexed() {
        return call("index", c -> c.zrevrange(INDEX_KEY, 0, -1));
    }

    /** Drops the index entry of a job whose hash has expired. */
    private void forget(String id) {
        call(id, c -> c.zrem(INDEX_KEY, id));
    }

    private MigrateException missing(String id) {
        List<String> unfinished = list().stream().filter(job -> job.state() != JobState.DONE)
                .map(job -> job.id() + " (" + job.plan().kind().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + ", " + job.state() + ", created " + job.createdAt() + " by " + job.createdBy() + ")")
                .collect(Collectors.toList());
        return new MigrateException(MigrateErrorCode.BAD_INPUT, "there is no job " + id + " in this cluster (done jobs "
                + "are kept for " + DONE_RETENTION.toDays() + " days); "
                + (unfinished.isEmpty() ? "there is no unfinished job" : "unfinished jobs: "
                        + String.join(", ", unfinished)));
    }

    private <T> T call(String id, Function<RedisAdvancedClusterCommands<String, String>, T> command) {
        try {
            return command.apply(metadata.sync());
        } catch (RedisException e) {
            throw RedisErrors.classify(where(id), e);
        }
    }

    private static String where(String id) {
        return "the cluster (job " + id + ")";
    }

    private static void requireSlot(int slot) {
        requireArgument(slot >= 0 && slot <= KeySlot.MAX_SLOT, "slot %d is out of range 0-16383", slot);
    }

    private static String normalise(String id) {
        return Objects.requireNonNull(id, "id").trim().toLowerCase(Locale.ROOT);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
