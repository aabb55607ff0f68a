// The life of a listener processor's endpoint (ListenHTTP, HandleHttpRequest): the server started in
// on_schedule, the requests its threads accept queued until a trigger takes a batch, and the stop that
// answers whatever is still queued before the server goes.
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "http_server.hpp"
#include "sluice/context.hpp"

namespace sluice::http {

// Requests accepted on server threads, waiting for the processor's next trigger. Thread-safe.
template <typename Pending>
class PendingRequests {
 public:
  void push(Pending pending) {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(pending));
  }
  // Up to `max`, oldest first.
  std::vector<Pending> take(std::size_t max) {
    std::vector<Pending> batch;
    const std::lock_guard lock(mutex_);
    const std::size_t n = std::min(queue_.size(), max);
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return batch;
  }
  std::deque<Pending> take_all() {
    std::deque<Pending> all;
    const std::lock_guard lock(mutex_);
    all.swap(queue_);
    return all;
  }

 private:
  std::mutex mutex_;
  std::deque<Pending> queue_;
};

// Creates and starts the endpoint's server and logs where it listens (`what` … `path`); throws
// ProcessorError with the reason when it cannot (address in use, bad certificate).
std::unique_ptr<HttpServer> start_listener(const ProcessContext& context, HttpServerSettings settings,
                                           HttpServer::Handler handler, std::string_view what,
                                           std::string_view path);

// Stops the endpoint: each request still queued is handed to `refuse` (to answer it) before the server
// stops; those queued while it stopped lose their connections with it. Nothing is queued after this.
template <typename Pending, typename Refuse>
void stop_listener(std::unique_ptr<HttpServer>& server, PendingRequests<Pending>& queue, Refuse&& refuse) {
  if (!server) return;
  for (auto& pending : queue.take_all()) refuse(pending);
  server->stop();
  for (auto& pending : queue.take_all()) refuse(pending);  // answers to a stopped server are dropped
  server.reset();
}

}  // namespace sluice::http
