#include "http_context_map.hpp"

#include <deque>
#include <mutex>
#include <random>
#include <unordered_map>
#include <utility>

#include "listener_config.hpp"
#include "spec_helpers.hpp"

namespace sluice::http {

namespace {

struct Held {
  std::shared_ptr<Responder> responder;
  std::int64_t deadline_ms = 0;
};

HttpResponse timed_out() {
  return text_response(503, "no response within the request timeout");
}

class StandardHttpContextMap final : public ControllerService, public HttpContextMap {
 public:
  void on_enable(ServiceContext& context) override {
    const std::int64_t max = context.int_property("max_outstanding");
    if (max < 1) throw ProcessorError("max_outstanding must be at least 1");
    max_outstanding_ = static_cast<std::size_t>(max);
    timeout_ms_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("request_timeout"))
            .count();
    if (timeout_ms_ <= 0) throw ProcessorError("request_timeout must be positive");
  }

  void on_disable() override {
    std::unordered_map<std::string, Held> left;
    {
      const std::lock_guard lock(mutex_);
      left.swap(held_);
      order_.clear();
    }
    for (auto& [id, h] : left) h.responder->respond(text_response(503, "the service is stopping"));
  }

  bool hold(std::string id, std::shared_ptr<Responder> responder, std::int64_t now_ms) override {
    const std::lock_guard lock(mutex_);
    if (held_.size() >= max_outstanding_) return false;
    const std::int64_t deadline = now_ms + timeout_ms_;
    order_.emplace_back(deadline, id);
    held_.emplace(std::move(id), Held{std::move(responder), deadline});
    return true;
  }

  std::shared_ptr<Responder> take(std::string_view id, std::int64_t now_ms) override {
    std::shared_ptr<Responder> responder;
    bool expired = false;
    {
      const std::lock_guard lock(mutex_);
      const auto it = held_.find(std::string(id));
      if (it == held_.end()) return nullptr;
      expired = now_ms >= it->second.deadline_ms;
      responder = std::move(it->second.responder);
      held_.erase(it);
    }
    if (!expired) return responder;
    responder->respond(timed_out());
    return nullptr;
  }

  std::size_t expire(std::int64_t now_ms) override {
    std::vector<std::shared_ptr<Responder>> expired;
    {
      const std::lock_guard lock(mutex_);
      // Deadlines are appended in order (one timeout, a clock that does not go back): the expired ones are
      // at the front. An id already taken is just skipped.
      while (!order_.empty() && order_.front().first <= now_ms) {
        const auto it = held_.find(order_.front().second);
        if (it != held_.end() && it->second.deadline_ms <= now_ms) {
          expired.push_back(std::move(it->second.responder));
          held_.erase(it);
        }
        order_.pop_front();
      }
    }
    for (auto& r : expired) r->respond(timed_out());
    return expired.size();
  }

  [[nodiscard]] bool holds(std::string_view id) const override {
    const std::lock_guard lock(mutex_);
    return held_.contains(std::string(id));
  }

  [[nodiscard]] std::size_t outstanding() const override {
    const std::lock_guard lock(mutex_);
    return held_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Held> held_;
  std::deque<std::pair<std::int64_t, std::string>> order_;  // (deadline, id), oldest first
  std::size_t max_outstanding_ = 5000;
  std::int64_t timeout_ms_ = 60'000;
};

ServiceSpec make_spec() {
  using standard::optional_property;
  ServiceSpec s;
  s.type = "HttpContextMap";
  s.summary = "Holds the HTTP requests HandleHttpRequest received until HandleHttpResponse answers them.";
  s.description =
      "The registry HandleHttpRequest and HandleHttpResponse share (NiFi's StandardHttpContextMap): each "
      "request waits here, keyed by the `http.context.identifier` attribute of its FlowFile, until a "
      "HandleHttpResponse naming the same service answers it. A request not answered within "
      "`request_timeout` is answered 503 and forgotten (a later response for it goes to that processor's "
      "`failure`); while `max_outstanding` requests wait, new ones are answered 503 with `Retry-After`. "
      "Requests are held in memory only: they are questions, not data, so a restart loses those in flight "
      "and their clients see the connection close and ask again.";
  s.tags = {"http", "request", "response", "context", "registry"};
  s.provides = {std::string(kHttpContextMapInterface)};
  s.properties.push_back(optional_property("request_timeout", PropertyKind::kDuration, "60 s",
                                           "How long a request waits for its response before it is "
                                           "answered 503."));
  s.properties.push_back(optional_property("max_outstanding", PropertyKind::kInt, "5000",
                                           "Requests waiting at once; more are answered 503."));
  return s;
}

std::unique_ptr<ControllerService> create() {
  return std::make_unique<StandardHttpContextMap>();
}

}  // namespace

const ServiceDefinition& http_context_map_definition() {
  static const ServiceDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

PropertySpec http_context_map_property(std::string description) {
  PropertySpec p =
      standard::required_property("http_context_map", PropertyKind::kService, std::move(description));
  p.service = std::string(kHttpContextMapInterface);
  return p;
}

std::string new_context_id() {
  // Straight from the system's generator (not a seeded PRNG), so that ids cannot be predicted.
  thread_local std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t word = 0; word < 4; ++word) {
    auto bits = static_cast<std::uint32_t>(random());
    for (std::size_t i = 0; i < 8; ++i, bits >>= 4U) id[word * 8 + i] = kHex[bits & 15U];
  }
  return id;
}

}  // namespace sluice::http
