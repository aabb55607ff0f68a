// An independent HTTP client for the server-side tests (libcurl, blocking): one request, its status,
// headers and body.
#pragma once

#include <string>
#include <vector>

#include <curl/curl.h>

namespace sluice::http::test {

struct Reply {
  long status = 0;  // NOLINT(google-runtime-int): curl's type
  std::string body;
  std::string headers;
};

inline std::size_t append_to_string(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// status 0 when the request failed (refused, reset, timed out).
inline Reply request(const std::string& url, const std::string& method, const std::string& body,
                     const std::vector<std::string>& headers = {}, const std::string& ca_file = {}) {
  Reply r;
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  if (!ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_to_string);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &append_to_string);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);
  if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  return r;
}

}  // namespace sluice::http::test
