-- wrk script for bench/lab.sh: plain keep-alive requests (wrk's own, no Lua per request), and at the end
-- one parseable line with what wrk's summary lacks (p95) and the rest in exact units:
--   LAB requests=N bytes=N duration_us=N p50_us=X p95_us=X p99_us=X max_us=X mean_us=X
--       connect=N read=N write=N status=N timeout=N
-- Latencies are wrk's per-request latencies in microseconds; status counts non-2xx/3xx responses.
-- usage: wrk --latency -s bench/lab.lua <url>
-- bench/lab_pipeline.lua has the same 'done' (keep the two in step).

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "LAB requests=%d bytes=%d duration_us=%d p50_us=%.1f p95_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f"
            .. " connect=%d read=%d write=%d status=%d timeout=%d\n",
        summary.requests, summary.bytes, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
        e.connect, e.read, e.write, e.status, e.timeout))
end
