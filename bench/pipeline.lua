-- wrk script: sends DEPTH requests back to back on each connection before reading any response
-- (HTTP/1.1 pipelining). wrk counts every response, so Requests/sec counts pipelined requests.
-- usage: wrk -s bench/pipeline.lua <url> -- DEPTH
--
-- wrk calls the global function 'request' for each batch; the batch itself must live in another
-- global ('batch'), or the function would overwrite it (or, with a local of the same name, never
-- become the global wrk looks for, and wrk would silently send single requests).

init = function(args)
    local depth = tonumber(args[1]) or 1
    local pieces = {}
    for i = 1, depth do
        pieces[i] = wrk.format(nil, "/")
    end
    batch = table.concat(pieces)
end

request = function()
    return batch
end
