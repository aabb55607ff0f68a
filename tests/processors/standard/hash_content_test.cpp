#include "hash_content.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using testkit::ProcessorRunner;

std::string hash_of(const std::string& algorithm, const std::string& content) {
  ProcessorRunner runner(hash_content_definition());
  runner.set_property("algorithm", algorithm);
  runner.enqueue(content);
  runner.run();
  const auto out = runner.take("success");
  return out.size() == 1 ? out[0].attribute("hash.value") : "no output";
}

TEST(HashContentTest, KnownDigestsOfEachAlgorithm) {
  // Test vectors of "abc" from FIPS 180 and RFC 1321.
  EXPECT_EQ(hash_of("MD5", "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hash_of("SHA-1", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hash_of("SHA-256", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash_of("SHA-512", "abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            "454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(hash_of("SHA-256", ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashContentTest, LargeContentIsHashedStreamingIntoTheNamedAttribute) {
  ProcessorRunner runner(hash_content_definition());
  runner.set_property("algorithm", "SHA-256").set_property("hash_attribute", "content_sha256");
  runner.enqueue(std::string(1'000'000, 'a'));  // FIPS 180-2 test vector: one million 'a'
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("content_sha256"),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(runner.count("failure"), 0U);
}

TEST(HashContentTest, AnUnknownAlgorithmIsReportedByValidation) {
  ProcessorRunner runner(hash_content_definition());
  runner.set_property("algorithm", "SHA256");
  const auto problems = runner.validate();
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_THAT(problems[0], ::testing::HasSubstr("did you mean 'SHA-256'?"));
}

}  // namespace
}  // namespace sluice::standard
