#include "curl_client.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

#include <curl/curl.h>

namespace sluice::http {

namespace {

// curl_global_init is not thread-safe in this curl: once per process, before any handle.
void global_init() {
  static const CURLcode kInit = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)kInit;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

TransportFailure classify(CURLcode code) {
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_LOGIN_DENIED: return TransportFailure::kConfiguration;
    default: return TransportFailure::kRetryable;
  }
}

struct Transfer {
  HttpResult* result = nullptr;
  const std::function<bool(std::string_view)>* on_body = nullptr;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new response (after a redirect or a 100 Continue): only the final one's headers count.
    t->result->headers.clear();
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    t->result->reason =
        second == std::string_view::npos ? std::string() : std::string(trim(line.substr(second + 1)));
    return n;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    t->result->headers.emplace_back(lower(trim(line.substr(0, colon))),
                                    std::string(trim(line.substr(colon + 1))));
  }
  return n;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  try {
    return (*t->on_body)(std::string_view(data, n)) ? n : 0;
  } catch (...) {  // an exception must not cross curl's C frames: abort the transfer instead
    return 0;
  }
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

struct CurlClient::Impl {
  TlsSettings tls;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  std::mutex pool_mutex;
  std::vector<CURL*> idle;

  static void lock(CURL* /*handle*/, curl_lock_data data, curl_lock_access /*access*/, void* user) {
    static_cast<Impl*>(user)->locks.at(static_cast<std::size_t>(data)).lock();
  }
  static void unlock(CURL* /*handle*/, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->locks.at(static_cast<std::size_t>(data)).unlock();
  }

  CURL* acquire() {
    {
      const std::lock_guard lock_guard(pool_mutex);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    CURL* h = curl_easy_init();
    if (h == nullptr) throw std::runtime_error("curl_easy_init failed");
    return h;
  }
  void release(CURL* h) {
    const std::lock_guard lock_guard(pool_mutex);
    idle.push_back(h);
  }
};

CurlClient::CurlClient(TlsSettings tls) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->tls = std::move(tls);
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

CurlClient::~CurlClient() {
  for (CURL* h : impl_->idle) curl_easy_cleanup(h);
  curl_share_cleanup(impl_->share);
}

std::variant<HttpResult, TransportError> CurlClient::perform(
    const HttpCall& call, const std::function<bool(std::string_view)>& on_body) {
  CURL* h = impl_->acquire();
  struct Release {
    Impl& impl;
    CURL* h;
    ~Release() { impl.release(h); }
  } release{*impl_, h};
  // Every option is set for every call: a reused handle keeps its connections, not its last request.
  curl_easy_reset(h);
  HttpResult result;
  Transfer transfer{&result, &on_body};
  std::array<char, CURL_ERROR_SIZE> error{};
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error.data());
  curl_easy_setopt(h, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(call.connect_timeout.count()));  // NOLINT(google-runtime-int)
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(call.request_timeout.count()));  // NOLINT(google-runtime-int)
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, call.follow_redirects ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 8L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, impl_->tls.verify ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, impl_->tls.verify ? 2L : 0L);
  if (!impl_->tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, impl_->tls.ca_file.c_str());
  if (!call.username.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, call.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, call.password.c_str());
  } else if (!call.bearer_token.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
    curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, call.bearer_token.c_str());
  }
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next == nullptr) throw std::bad_alloc();
    (void)headers.release();
    headers.reset(next);
  };
  std::string line;
  for (const auto& [name, value] : call.headers) {
    line.assign(name).append(": ").append(value);
    add_header(line);
  }
  if (call.body) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body->size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, call.body->data());
    add_header("Expect:");  // no 100-continue round trip
  }
  if (call.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (call.method != "GET" && call.method != "POST") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  } else if (call.method == "POST" && !call.body) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
  }
  if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    std::string message =
        error[0] != '\0' ? std::string(error.data()) : std::string(curl_easy_strerror(code));
    return TransportError{classify(code), without_credentials(call.url) + ": " + message};
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  char* effective = nullptr;
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  result.effective_url = without_credentials(effective != nullptr ? effective : call.url);
  return result;
}

std::string without_credentials(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto authority_start = scheme + 3;
  const auto authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const auto at = url.substr(authority_start, authority_end - authority_start).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, authority_start));
  out += url.substr(authority_start + at + 1);
  return out;
}

}  // namespace sluice::http
