// Encodings and escapes, byte for byte as NiFi's (Java URLEncoder, Commons Text escapes, RFC 4648 base64),
// and hash() through OpenSSL's libcrypto.
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "expression/functions.hpp"
#include "util/hex.hpp"

namespace sluice::internal::el::fn {

namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one UTF-8 sequence at s[i] (advancing i); invalid bytes read as themselves.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i++]);
  int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC0 ? 1 : 0;
  std::uint32_t cp = extra == 3 ? (b0 & 0x07U) : extra == 2 ? (b0 & 0x0FU) : extra == 1 ? (b0 & 0x1FU) : b0;
  while (extra-- > 0 && i < s.size()) cp = (cp << 6U) | (static_cast<unsigned char>(s[i++]) & 0x3FU);
  return cp;
}

void append_u_escape(std::string& out, std::uint32_t unit) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> static_cast<unsigned>(shift)) & 0xFU];
}

}  // namespace

Value url_encode(const Call& c) {
  std::string& out = c.buffer();
  for (char ch : c.subject_text()) {
    const auto b = static_cast<unsigned char>(ch);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '-' ||
        b == '*' || b == '_') {
      out += ch;
    } else if (b == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[b >> 4U];
      out += kHex[b & 0xFU];
    }
  }
  return Value::string(out);
}

Value url_decode(const Call& c) {
  const std::string_view s = c.subject_text();
  std::string& out = c.buffer();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
      if (lo < 0) c.fail(fmt::format("'{}' has an incomplete escape at character {}", s, i + 1));
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return Value::string(out);
}

Value escape_json(const Call& c) {
  const std::string_view s = c.subject_text();
  std::string& out = c.buffer();
  for (std::size_t i = 0; i < s.size();) {
    const std::uint32_t cp = next_code_point(s, i);
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '/': out += "\\/"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (cp < 0x20 || cp > 0x7E) {
          if (cp >= 0x10000) {  // UTF-16 surrogate pair, as Java writes it
            append_u_escape(out, 0xD800 + ((cp - 0x10000) >> 10U));
            append_u_escape(out, 0xDC00 + ((cp - 0x10000) & 0x3FFU));
          } else {
            append_u_escape(out, cp);
          }
        } else {
          out += static_cast<char>(cp);
        }
    }
  }
  return Value::string(out);
}

Value unescape_json(const Call& c) {
  const std::string_view s = c.subject_text();
  std::string& out = c.buffer();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    const char e = s[++i];
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto unit = [&](std::size_t at) -> std::int64_t {
          if (at + 4 > s.size()) return -1;
          std::int64_t v = 0;
          for (std::size_t k = at; k < at + 4; ++k) {
            const int h = hex_value(s[k]);
            if (h < 0) return -1;
            v = v * 16 + h;
          }
          return v;
        };
        std::int64_t cp = unit(i + 1);
        if (cp < 0) c.fail(fmt::format("'{}' has an invalid \\u escape at character {}", s, i));
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') {
          const std::int64_t low = unit(i + 3);
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, static_cast<std::uint32_t>(cp));
        break;
      }
      default: out += e;  // \" \\ \/ and anything else: the character itself
    }
  }
  return Value::string(out);
}

Value escape_xml(const Call& c) {
  std::string& out = c.buffer();
  for (char ch : c.subject_text()) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += ch;
    }
  }
  return Value::string(out);
}

Value unescape_xml(const Call& c) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities = {
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}}};
  const std::string_view s = c.subject_text();
  std::string& out = c.buffer();
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        if (s.substr(i).starts_with(entity)) {
          out += ch;
          i += entity.size();
          replaced = true;
          break;
        }
      }
      if (!replaced && s.substr(i).starts_with("&#")) {
        const std::size_t end = s.find(';', i);
        const bool hex = i + 2 < s.size() && (s[i + 2] == 'x' || s[i + 2] == 'X');
        std::uint32_t cp = 0;
        bool ok = end != std::string_view::npos && end > i + (hex ? 3 : 2);
        for (std::size_t k = i + (hex ? 3 : 2); ok && k < end; ++k) {
          const int d = hex ? hex_value(s[k]) : (s[k] >= '0' && s[k] <= '9' ? s[k] - '0' : -1);
          ok = d >= 0 && cp < 0x110000;
          cp = cp * (hex ? 16U : 10U) + static_cast<std::uint32_t>(d);
        }
        if (ok) {
          append_utf8(out, cp);
          i = end + 1;
          replaced = true;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return Value::string(out);
}

Value escape_csv(const Call& c) {
  const std::string_view s = c.subject_text();
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return Value::string(s);
  std::string& out = c.buffer();
  out += '"';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return Value::string(out);
}

Value unescape_csv(const Call& c) {
  const std::string_view s = c.subject_text();
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return Value::string(s);
  const std::string_view inner = s.substr(1, s.size() - 2);
  if (inner.find_first_of(",\"\r\n") == std::string_view::npos) return Value::string(s);
  std::string& out = c.buffer();
  for (std::size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == '"' && i + 1 < inner.size() && inner[i + 1] == '"') ++i;
  }
  return Value::string(out);
}

Value base64_encode(const Call& c) {
  const std::string_view s = c.subject_text();
  std::string& out = c.buffer();
  std::size_t i = 0;
  for (; i + 3 <= s.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16U) |
                            (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8U) |
                            static_cast<unsigned char>(s[i + 2]);
    for (unsigned shift : {18U, 12U, 6U, 0U}) out += kBase64[(v >> shift) & 0x3FU];
  }
  if (const std::size_t rest = s.size() - i; rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16U;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8U;
    out += kBase64[(v >> 18U) & 0x3FU];
    out += kBase64[(v >> 12U) & 0x3FU];
    out += rest == 2 ? kBase64[(v >> 6U) & 0x3FU] : '=';
    out += '=';
  }
  return Value::string(out);
}

Value base64_decode(const Call& c) {
  const std::string_view s = java_trim(c.subject_text());
  std::string& out = c.buffer();
  std::uint32_t bits = 0;
  int count = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch == '=') {
      ++padding;
      continue;
    }
    const std::size_t v = kBase64.find(ch);
    if (v == std::string_view::npos || padding > 0) {
      c.fail(fmt::format("'{}' is not base64: unexpected '{}' at character {}", s, ch, i + 1));
    }
    bits = (bits << 6U) | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16U) & 0xFFU);
      out += static_cast<char>((bits >> 8U) & 0xFFU);
      out += static_cast<char>(bits & 0xFFU);
      bits = 0;
      count = 0;
    }
  }
  if (count == 1 || padding > 2) c.fail(fmt::format("'{}' is not base64: its length is wrong", s));
  if (count == 2) out += static_cast<char>((bits >> 4U) & 0xFFU);
  if (count == 3) {
    out += static_cast<char>((bits >> 10U) & 0xFFU);
    out += static_cast<char>((bits >> 2U) & 0xFFU);
  }
  return Value::string(out);
}

namespace {

// NiFi's algorithm names (Java MessageDigest's) to OpenSSL's.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kDigestAliases = {{
    {"MD5", "MD5"},
    {"SHA-1", "SHA1"},
    {"SHA", "SHA1"},
    {"SHA-224", "SHA224"},
    {"SHA-256", "SHA256"},
    {"SHA-384", "SHA384"},
    {"SHA-512", "SHA512"},
    {"SHA3-256", "SHA3-256"},
}};

// The digests fetched once from the default provider. A digest from EVP_get_digestbyname is a legacy
// handle that OpenSSL 3 fetches again (a locked lookup in the provider store) on every EVP_Digest: per
// record in PartitionRecord that lookup cost more than the hash. Fetched digests are kept for the life of
// the process (never freed: OpenSSL may already be cleaned up when statics are destroyed).
const EVP_MD* digest_named(std::string_view name) {
  static const std::array<EVP_MD*, kDigestAliases.size()> kFetched = [] {
    std::array<EVP_MD*, kDigestAliases.size()> fetched{};
    for (std::size_t i = 0; i < kDigestAliases.size(); ++i) {
      fetched[i] = EVP_MD_fetch(nullptr, std::string(kDigestAliases[i].second).c_str(), nullptr);
    }
    return fetched;
  }();
  for (std::size_t i = 0; i < kDigestAliases.size(); ++i) {
    if (!iequals(kDigestAliases[i].first, name)) continue;
    if (kFetched[i] != nullptr) return kFetched[i];
    return EVP_get_digestbyname(std::string(kDigestAliases[i].second).c_str());
  }
  return nullptr;
}

// One digest context per thread, reset for each hash instead of allocated and freed by EVP_Digest.
EVP_MD_CTX* thread_digest_context() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    Holder() = default;
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local const Holder kHolder;
  return kHolder.ctx;
}

constexpr std::string_view kDigestNames = "MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512, SHA3-256";

}  // namespace

void prepare_hash(const PrepareContext& context) {
  const ExpressionNode* name = context.literal_arg(0);
  if (name == nullptr) return;
  const EVP_MD* md = digest_named(name->text);
  if (md == nullptr)
    context.fail(0, fmt::format("unknown algorithm '{}' (one of: {})", name->text, kDigestNames));
  context.node.prepared = md;
}

Value hash(const Call& c) {
  const EVP_MD* md = nullptr;
  if (const auto* prepared = std::any_cast<const EVP_MD*>(&c.node().prepared)) {
    md = *prepared;
  } else {
    const std::string_view name = c.text_arg(0);
    md = digest_named(name);
    if (md == nullptr) c.fail(fmt::format("unknown algorithm '{}' (one of: {})", name, kDigestNames));
  }
  const std::string_view s = c.subject_text();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_MD_CTX* ctx = thread_digest_context();
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx, s.data(), s.size()) != 1 || EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1) {
    c.fail("the digest failed");
  }
  std::string& out = c.buffer();
  append_hex(out, std::span(digest.data(), size));
  return Value::string(out);
}

}  // namespace sluice::internal::el::fn
