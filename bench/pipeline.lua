-- wrk script: sends DEPTH requests back to back on each connection before reading any response
-- (HTTP/1.1 pipelining). wrk counts every response, so Requests/sec counts pipelined requests.
-- usage: wrk -s bench/pipeline.lua <url> -- DEPTH
local request

init = function(args)
    local depth = tonumber(args[1]) or 1
    local pieces = {}
    for i = 1, depth do
        pieces[i] = wrk.format(nil, "/")
    end
    request = table.concat(pieces)
end

request = function()
    return request
end
