-- wrk script for bench/lab.sh: DEPTH requests sent back to back on each connection before reading any
-- response (HTTP/1.1 pipelining, as bench/pipeline.lua), and at the end the same parseable 'LAB ...' line
-- as bench/lab.lua (keep the two 'done' functions in step). wrk counts every response.
-- usage: wrk --latency -s bench/lab_pipeline.lua <url> -- DEPTH
--
-- The batch lives in a global of its own ('batch'): see bench/pipeline.lua for why.

init = function(args)
    local depth = tonumber(args[1]) or 1
    local pieces = {}
    for i = 1, depth do
        pieces[i] = wrk.format(nil, nil)
    end
    batch = table.concat(pieces)
end

request = function()
    return batch
end

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "LAB requests=%d bytes=%d duration_us=%d p50_us=%.1f p95_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f"
            .. " connect=%d read=%d write=%d status=%d timeout=%d\n",
        summary.requests, summary.bytes, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
        e.connect, e.read, e.write, e.status, e.timeout))
end
