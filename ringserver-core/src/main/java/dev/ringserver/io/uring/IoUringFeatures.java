package dev.ringserver.io.uring;

import dev.ringserver.io.IoConfig;

import java.util.Set;
import java.util.StringJoiner;

import static dev.ringserver.sys.linux.IoUringAbi.SETUP_COOP_TASKRUN;
import static dev.ringserver.sys.linux.IoUringAbi.SETUP_DEFER_TASKRUN;
import static dev.ringserver.sys.linux.IoUringAbi.SETUP_NO_SQARRAY;
import static dev.ringserver.sys.linux.IoUringAbi.SETUP_SINGLE_ISSUER;
import static dev.ringserver.sys.linux.IoUringAbi.SETUP_SUBMIT_ALL;
import static dev.ringserver.sys.linux.IoUringAbi.SETUP_TASKRUN_FLAG;

/**
 * The io_uring features one backend uses: those the probe found, minus those the configuration turns
 * off. Immutable.
 *
 * <p>Files go with {@code sendfile(2)} on the loop by default, which measured cheaper than splicing
 * them for files in the page cache (see the architecture notes). Turning off {@value #SYNC_SENDFILE}
 * sends them through a pipe with linked SPLICEs instead, when the kernel has
 * {@code IORING_OP_SPLICE} ({@code splice}); then the loop never waits for a file to be read from
 * disk, and {@code sendfile(2)} remains the fallback when no pipe is free.
 *
 * @param setupFlags      flags for {@code io_uring_setup}
 * @param cqEntries       the completion queue size to ask for, or 0 for the kernel's default
 * @param registeredRing  register the ring fd and enter through its index
 * @param extArg          wait with {@code IORING_ENTER_EXT_ARG} instead of a TIMEOUT SQE
 * @param bufferRing      receive into a provided-buffer ring
 * @param multishotAccept one accept SQE for many connections
 * @param multishotRecv   one receive SQE for many completions (needs the buffer ring)
 * @param splice          send files with linked SPLICEs through a pipe instead of {@code sendfile(2)}
 */
record IoUringFeatures(int setupFlags, int cqEntries, boolean registeredRing, boolean extArg, boolean bufferRing,
                       boolean multishotAccept, boolean multishotRecv, boolean splice) {

    /**
     * The switch for the file path: on (the default), files go with {@code sendfile(2)} on the loop;
     * turned off in {@link IoConfig#disabledFeatures()}, through SPLICE where the kernel has it. Not a
     * probed feature: every kernel can.
     */
    static final String SYNC_SENDFILE = "sync_sendfile";

    static IoUringFeatures choose(Set<String> probed, IoConfig config) {
        int setupFlags = 0;
        boolean singleIssuer = usable("single_issuer", probed, config);
        if (singleIssuer) {
            setupFlags |= SETUP_SINGLE_ISSUER;
        }
        if (singleIssuer && usable("defer_taskrun", probed, config)) {
            setupFlags |= SETUP_DEFER_TASKRUN;
        } else if (usable("coop_taskrun", probed, config)) {
            setupFlags |= SETUP_COOP_TASKRUN | SETUP_TASKRUN_FLAG;
        }
        if (usable("submit_all", probed, config)) {
            setupFlags |= SETUP_SUBMIT_ALL;
        }
        if (usable("no_sqarray", probed, config)) {
            setupFlags |= SETUP_NO_SQARRAY;
        }
        boolean bufferRing = usable("buffer_ring", probed, config);
        return new IoUringFeatures(setupFlags,
                usable("cq_size", probed, config) ? config.completionQueueEntries() : 0,
                usable("registered_ring", probed, config),
                usable("ext_arg", probed, config),
                bufferRing,
                usable("multishot_accept", probed, config),
                bufferRing && usable("multishot_recv", probed, config),
                usable("splice", probed, config) && !config.allows(SYNC_SENDFILE));
    }

    boolean deferTaskrun() {
        return (setupFlags & SETUP_DEFER_TASKRUN) != 0;
    }

    /**
     * The feature string of a created ring, for example
     * {@code single_issuer,defer_taskrun,...,sq=256,cq=8192}.
     *
     * @param ringRegistered whether registering the ring fd succeeded
     * @param noDrop         whether the kernel keeps overflowing completions ({@code FEAT_NODROP})
     */
    String describe(boolean ringRegistered, boolean noDrop, int sqEntries, int actualCqEntries) {
        StringJoiner text = new StringJoiner(",");
        add(text, (setupFlags & SETUP_SINGLE_ISSUER) != 0, "single_issuer");
        add(text, deferTaskrun(), "defer_taskrun");
        add(text, (setupFlags & SETUP_COOP_TASKRUN) != 0, "coop_taskrun");
        add(text, (setupFlags & SETUP_SUBMIT_ALL) != 0, "submit_all");
        add(text, (setupFlags & SETUP_NO_SQARRAY) != 0, "no_sqarray");
        add(text, ringRegistered, "registered_ring");
        add(text, extArg, "ext_arg");
        add(text, noDrop, "nodrop");
        add(text, bufferRing, "buffer_ring");
        add(text, multishotAccept, "multishot_accept");
        add(text, multishotRecv, "multishot_recv");
        add(text, splice, "splice");
        text.add("sq=" + sqEntries);
        text.add("cq=" + actualCqEntries);
        return text.toString();
    }

    private static boolean usable(String feature, Set<String> probed, IoConfig config) {
        return probed.contains(feature) && config.allows(feature);
    }

    private static void add(StringJoiner text, boolean present, String name) {
        if (present) {
            text.add(name);
        }
    }
}
