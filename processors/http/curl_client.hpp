// HTTP requests through libcurl for InvokeHTTP: a pool of reusable easy handles (each keeps its connections
// alive between requests) that share DNS, TLS sessions and the connection cache, and the classification of
// curl's errors into what a processor does next. curl stays inside curl_client.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::http {

struct TlsSettings {
  bool verify = true;
  std::string ca_file;  // empty: the system's trust store
};

struct HttpCall {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string_view> body;  // sent as is (valid for the call), with Content-Length
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};
  bool follow_redirects = true;
  std::string username;      // basic auth when set
  std::string password;      // sensitive
  std::string bearer_token;  // sensitive; Authorization: Bearer
};

struct HttpResult {
  long status = 0;                                           // NOLINT(google-runtime-int): curl's type
  std::string reason;                                        // the status line's reason phrase
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response, names lowercased
  std::string effective_url;
};

// Why no HTTP response came back.
enum class TransportFailure : std::uint8_t {
  kRetryable,     // connection refused or reset, DNS, timeout: the endpoint may come back
  kConfiguration  // bad URL, TLS verification or certificate problem, unsupported protocol: retrying won't
                  // help
};

struct TransportError {
  TransportFailure kind = TransportFailure::kRetryable;
  std::string message;
};

class CurlClient {
 public:
  explicit CurlClient(TlsSettings tls);
  ~CurlClient();
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  // Performs the call on a pooled handle, streaming the response body to `on_body` (return false to abort).
  // Returns the response, or the transport error when none came.
  [[nodiscard]] std::variant<HttpResult, TransportError> perform(
      const HttpCall& call, const std::function<bool(std::string_view)>& on_body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "https://host/path": the URL without user:password@ (for provenance and logs).
std::string without_credentials(std::string_view url);

}  // namespace sluice::http
