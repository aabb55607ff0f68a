// The requests HandleHttpRequest received and HandleHttpResponse answers, keyed by the context identifier
// the request's FlowFile carries (`http.context.identifier`): NiFi's StandardHttpContextMap, a controller
// service both processors name. It lives in memory only: a request is a question held open on a
// connection, not data, so a restart loses the waiting requests (their clients see the connection close
// and ask again), exactly as in NiFi.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http_server.hpp"
#include "sluice/service.hpp"
#include "sluice/spec.hpp"

namespace sluice::http {

inline constexpr std::string_view kHttpContextMapInterface = "HttpContextMap";

// Thread-safe: the server's threads hold requests while the processors' threads take them.
class HttpContextMap {
 public:
  virtual ~HttpContextMap() = default;
  // Keeps `responder` until it is taken or expires; false (and nothing kept) when `max_outstanding`
  // requests are already waiting: the caller answers 503.
  virtual bool hold(std::string id, std::shared_ptr<Responder> responder, std::int64_t now_ms) = 0;
  // The waiting request's responder, removed from the map; nullptr when `id` is unknown, already answered
  // or expired (an expired request is answered 503 here if nobody did yet).
  virtual std::shared_ptr<Responder> take(std::string_view id, std::int64_t now_ms) = 0;
  // Whether `id` is still waiting (not taken, not expired by expire()).
  [[nodiscard]] virtual bool holds(std::string_view id) const = 0;
  // Answers 503 to every request that waited `request_timeout` or longer and forgets it; returns how many.
  virtual std::size_t expire(std::int64_t now_ms) = 0;
  [[nodiscard]] virtual std::size_t outstanding() const = 0;
};

const ServiceDefinition& http_context_map_definition();

// The `http_context_map` property HandleHttpRequest and HandleHttpResponse name their service by.
PropertySpec http_context_map_property(std::string description);

// A fresh random context identifier (128 bits, hex): unguessable, so that no one answers another's request.
std::string new_context_id();

}  // namespace sluice::http
