-- wrk script for the bench shell scripts: POSTs the JSON body in $WRK_BODY with the API key in
-- $WRK_KEY, and prints one line: requests/s, p50 and p99 latency, non-2xx answers.
--   WRK_KEY=... WRK_BODY='{"rows":[...]}' wrk -t1 -c1 -d10s -s bench/one-row.lua URL
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_KEY")
wrk.body = os.getenv("WRK_BODY")
done = function(s, l, r)
  io.write(string.format("%.0f req/s, p50 %.3f ms, p99 %.3f ms, non-2xx %d\n", s.requests / (s.duration / 1e6),
    l:percentile(50) / 1000, l:percentile(99) / 1000, s.errors.status))
end
