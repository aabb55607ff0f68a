#include "hash_content.hpp"

#include <array>
#include <memory>
#include <string>

#include <openssl/evp.h>

#include "failure.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "hashcontent.failure.reason";

const EVP_MD* digest_named(std::string_view name) {
  if (name == "MD5") return EVP_md5();
  if (name == "SHA-1") return EVP_sha1();
  if (name == "SHA-256") return EVP_sha256();
  if (name == "SHA-512") return EVP_sha512();
  return nullptr;
}

struct DigestContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  DigestContext() {
    if (ctx == nullptr) throw std::bad_alloc();
  }
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
};

class HashContent final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string algorithm = context.string_property("algorithm");
    digest_ = digest_named(algorithm);
    if (digest_ == nullptr) throw ProcessorError("algorithm '" + algorithm + "' is not supported");
    attribute_ = context.string_property("hash_attribute");
    if (attribute_.empty()) throw ProcessorError("hash_attribute must not be empty");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    DigestContext digest;
    std::string hex;
    for (FlowFile& ff : session.get(context.batch_size())) {
      try {
        hash(session, ff, digest.ctx, hex);
      } catch (const std::exception& e) {
        const std::string reason = std::string("cannot read content: ") + e.what();
        route_to_failure(context, session, ff, kReasonAttribute, reason);
        continue;
      }
      session.put_attribute(ff, attribute_, hex);
      session.transfer(ff, kSuccess);
    }
  }

 private:
  void hash(ProcessSession& session, const FlowFile& ff, EVP_MD_CTX* ctx, std::string& hex) const {
    if (EVP_DigestInit_ex(ctx, digest_, nullptr) != 1) throw ProcessorError("EVP_DigestInit_ex failed");
    session.read(ff, [&](InputStream& in) {
      // A mapped view: hashed in place, no copy.
      const std::string_view content = in.view();
      EVP_DigestUpdate(ctx, content.data(), content.size());
    });
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, md.data(), &length);
    constexpr std::string_view kHex = "0123456789abcdef";
    hex.clear();
    for (unsigned int i = 0; i < length; ++i) {
      hex += kHex[md[i] >> 4U];
      hex += kHex[md[i] & 0xfU];
    }
  }

  const EVP_MD* digest_ = nullptr;
  std::string attribute_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "HashContent";
  s.summary = "Puts a cryptographic hash of each FlowFile's content into an attribute.";
  s.description =
      "Reads the content once, through a mapped view (any size, no copy), and writes its digest as lowercase "
      "hex to `hash_attribute`. Content that cannot be read goes to `failure` with the reason in "
      "`hashcontent.failure.reason`. The default algorithm is SHA-256, not NiFi's MD5: MD5 and SHA-1 are "
      "broken for anything an adversary can influence, and remain here only to match hashes other systems "
      "already publish. Pair with DetectDuplicate (its default key is `${hash.value}`) to drop repeated "
      "content.";
  s.tags = {"hash", "content", "md5", "sha256", "checksum", "deduplicate"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      enum_property("algorithm", "SHA-256",
                    {{"MD5", "128-bit MD5 (broken: for compatibility only)."},
                     {"SHA-1", "160-bit SHA-1 (broken: for compatibility only)."},
                     {"SHA-256", "256-bit SHA-2."},
                     {"SHA-512", "512-bit SHA-2."}},
                    "Hash algorithm (OpenSSL libcrypto)."),
      optional_property("hash_attribute", PropertyKind::kString, "hash.value",
                        "Attribute that receives the hex digest."),
  };
  s.relationships = {
      {"success", "FlowFiles with their hash attribute set."},
      {"failure", "FlowFiles whose content could not be read; see `hashcontent.failure.reason`."}};
  s.writes_attributes = {{"hash.value", "The hex digest (or the attribute named by `hash_attribute`)."},
                         {"hashcontent.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {{"SHA-256 of each file, then drop repeats",
                 "hash:\n  type: HashContent\n  properties: { algorithm: SHA-256 }\n  terminate: [failure]\n"
                 "dedup:\n  type: DetectDuplicate\n  properties: { age_off: 1 h }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<HashContent>();
}

}  // namespace

const ProcessorDefinition& hash_content_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
