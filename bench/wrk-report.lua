-- wrk's summary as one line for bench/http.sh: requests, req/s, p50/p95/p99 in ms, non-2xx/3xx answers, timeouts, socket errors.
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.1f %.1f %.1f %.1f %d %d %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.timeout, summary.errors.connect + summary.errors.read + summary.errors.write))
end
