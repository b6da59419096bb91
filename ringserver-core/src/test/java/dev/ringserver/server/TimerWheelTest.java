package dev.ringserver.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TimerWheelTest {

    private static final long TICK = 100;

    private final List<String> fired = new ArrayList<>();

    private TimerWheel.Timeout timeout(String name) {
        return new TimerWheel.Timeout(() -> fired.add(name));
    }

    @Test
    void aDeadlineInsideATickFiresAtTheNextTickNotAWheelTurnLater() {
        TimerWheel wheel = new TimerWheel(8, TICK, 1_000);
        wheel.schedule(timeout("a"), 1_250); // inside tick 12
        assertThat(wheel.advance(1_210)).isZero(); // tick 12 reached, deadline not yet
        assertThat(wheel.advance(1_300)).isOne();
        assertThat(fired).containsExactly("a");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void neverFiresEarlyAndAtMostOneTickLate() {
        Random random = new Random(5);
        for (int round = 0; round < 2_000; round++) {
            long start = random.nextLong(1_000_000);
            TimerWheel wheel = new TimerWheel(16, TICK, start);
            long deadline = start + random.nextLong(5_000);
            long[] firedAt = {-1};
            wheel.schedule(new TimerWheel.Timeout(() -> firedAt[0] = -2), deadline);
            long now = start;
            while (firedAt[0] == -1) {
                now += 1 + random.nextLong(2 * TICK);
                wheel.advance(now);
                if (firedAt[0] == -2) {
                    firedAt[0] = now;
                }
            }
            assertThat(firedAt[0]).as("round %d", round).isGreaterThanOrEqualTo(deadline);
        }
    }

    @Test
    void firesAtTheTickAfterTheDeadlineWhenAdvancedEveryTick() {
        TimerWheel wheel = new TimerWheel(16, TICK, 0);
        long[] firedAt = new long[200];
        for (int i = 0; i < firedAt.length; i++) {
            int index = i;
            long deadline = 7 + i * 13L;
            firedAt[i] = -1;
            wheel.schedule(new TimerWheel.Timeout(() -> firedAt[index] = deadline), deadline);
        }
        for (long now = TICK; wheel.size() > 0; now += TICK) {
            long at = now;
            wheel.advance(now);
            for (int i = 0; i < firedAt.length; i++) {
                long deadline = 7 + i * 13L;
                if (firedAt[i] == deadline) {
                    assertThat(at - deadline).as("lateness of %d", deadline).isBetween(0L, TICK);
                    firedAt[i] = -3;
                }
            }
        }
        assertThat(firedAt).containsOnly(-3L);
    }

    @Test
    void deadlinesBeyondOneTurnWaitForTheirTurn() {
        TimerWheel wheel = new TimerWheel(4, TICK, 0);
        wheel.schedule(timeout("far"), 1_050); // ten turns of a four-bucket wheel away
        for (long now = TICK; now <= 1_000; now += TICK) {
            wheel.advance(now);
        }
        assertThat(fired).isEmpty();
        wheel.advance(1_100);
        assertThat(fired).containsExactly("far");
    }

    @Test
    void rescheduleAndCancelMoveOrRemoveATimeout() {
        TimerWheel wheel = new TimerWheel(8, TICK, 0);
        TimerWheel.Timeout moved = timeout("moved");
        TimerWheel.Timeout cancelled = timeout("cancelled");
        wheel.schedule(moved, 150);
        wheel.schedule(cancelled, 150);
        wheel.schedule(moved, 450);
        wheel.cancel(cancelled);
        assertThat(cancelled.isScheduled()).isFalse();
        assertThat(wheel.size()).isOne();
        wheel.advance(300);
        assertThat(fired).isEmpty();
        wheel.advance(500);
        assertThat(fired).containsExactly("moved");
        assertThat(moved.isScheduled()).isFalse();
    }

    @Test
    void aTaskMayRescheduleItselfAndCancelOthersInTheSameBucket() {
        TimerWheel wheel = new TimerWheel(8, TICK, 0);
        TimerWheel.Timeout other = timeout("other");
        TimerWheel.Timeout[] self = new TimerWheel.Timeout[1];
        self[0] = new TimerWheel.Timeout(() -> {
            fired.add("self");
            wheel.cancel(other);
            if (fired.size() < 3) {
                wheel.schedule(self[0], 0); // already due: runs at the next tick, not in this loop
            }
        });
        wheel.schedule(other, 50);
        wheel.schedule(self[0], 50);
        wheel.advance(100);
        assertThat(fired).containsExactly("self");
        wheel.advance(200);
        wheel.advance(300);
        assertThat(fired).containsExactly("self", "self", "self");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aLongPauseRunsEverythingDueOnce() {
        TimerWheel wheel = new TimerWheel(8, TICK, 0);
        for (int i = 0; i < 20; i++) {
            wheel.schedule(timeout("t" + i), 100 + i * 100L);
        }
        assertThat(wheel.advance(100_000)).isEqualTo(20);
        assertThat(wheel.size()).isZero();
    }
}
