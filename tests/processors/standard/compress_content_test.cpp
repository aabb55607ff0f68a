#include "compress_content.hpp"

#include <cstdio>
#include <filesystem>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compression_codecs.hpp"
#include "sluice/testkit.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

std::string sample(std::size_t size) {
  std::mt19937 random(42);
  std::string out;
  out.reserve(size);
  const std::string words[] = {"meter ", "kwh=", "12.5 ", "ALARM\n", "ok\n", "M000123,"};
  while (out.size() < size) out += words[random() % 6];
  out.resize(size);
  return out;
}

testkit::OutputFlowFile run_one(const std::map<std::string, std::string>& properties,
                                const std::string& content,
                                const std::map<std::string, std::string>& attributes = {},
                                const char* relationship = "success") {
  ProcessorRunner runner(compress_content_definition());
  for (const auto& [k, v] : properties) runner.set_property(k, v);
  runner.enqueue(content, attributes);
  runner.run();
  auto out = runner.take(relationship);
  EXPECT_EQ(out.size(), 1U);
  return out.empty() ? testkit::OutputFlowFile{} : out[0];
}

// Runs an external tool on `input` and returns its stdout: an independent reader/writer of each format.
std::string pipe_through(const std::string& command, const std::string& input) {
  sluice::testing::TempDir dir;
  const auto in = dir / "in";
  const auto out = dir / "out";
  sluice::testing::write_file(in, input);
  const std::string full = command + " < " + in.string() + " > " + out.string();
  EXPECT_EQ(std::system(full.c_str()), 0) << full;
  return sluice::testing::read_file(out);
}

class CompressContentFormats : public ::testing::TestWithParam<const char*> {};

TEST_P(CompressContentFormats, RoundTripsLargeContentAndSetsMimeTypeAndFilename) {
  const std::string format = GetParam();
  const std::string original = sample(3'000'000);  // several 64 KiB pieces and snappy chunks
  const auto compressed =
      run_one({{"format", format}, {"update_filename", "true"}}, original, {{"filename", "data.csv"}});
  const CodecInfo& info = codec_info(*codec_named(format));
  EXPECT_LT(compressed.content.size(), original.size() / 2);
  EXPECT_EQ(compressed.attribute("mime.type"), info.mime_type);
  EXPECT_EQ(compressed.attribute("filename"), "data.csv" + std::string(info.extension));

  const auto restored =
      run_one({{"mode", "decompress"}, {"format", "use_mime_type"}, {"update_filename", "true"}},
              compressed.content, {compressed.attributes.begin(), compressed.attributes.end()});
  EXPECT_TRUE(restored.content == original);
  EXPECT_FALSE(restored.attributes.contains("mime.type"));
  EXPECT_EQ(restored.attribute("filename"), "data.csv");
}

TEST_P(CompressContentFormats, TruncatedOrCorruptInputGoesToFailureUnchanged) {
  const std::string format = GetParam();
  const auto compressed = run_one({{"format", format}}, sample(200'000));
  const std::string truncated = compressed.content.substr(0, compressed.content.size() - 7);
  const auto failed = run_one({{"mode", "decompress"}, {"format", format}}, truncated, {}, "failure");
  EXPECT_TRUE(failed.content == truncated);
  EXPECT_THAT(failed.attribute("compresscontent.failure.reason"), HasSubstr(format));
  const auto garbage =
      run_one({{"mode", "decompress"}, {"format", format}}, "this is not compressed at all", {}, "failure");
  EXPECT_EQ(garbage.content, "this is not compressed at all");
}

INSTANTIATE_TEST_SUITE_P(AllFormats, CompressContentFormats,
                         ::testing::Values("gzip", "zstd", "lz4", "snappy"));

TEST(CompressContentTest, IndependentToolsReadWhatWeWriteAndWriteWhatWeRead) {
  const std::string original = sample(500'000);
  for (const auto& [format, tool] :
       {std::pair{"gzip", "gzip"}, std::pair{"zstd", "zstd -q"}, std::pair{"lz4", "lz4 -q"}}) {
    SCOPED_TRACE(format);
    const auto ours = run_one({{"format", format}, {"level", "3"}}, original);
    EXPECT_TRUE(pipe_through(std::string(tool) + " -dc", ours.content) == original);
    const std::string theirs = pipe_through(std::string(tool) + " -c", original);
    EXPECT_TRUE(run_one({{"mode", "decompress"}, {"format", format}}, theirs).content == original);
  }
}

TEST(CompressContentTest, ConcatenatedGzipMembersDecompressToTheConcatenation) {
  const auto a = run_one({{"format", "gzip"}}, "first part\n");
  const auto b = run_one({{"format", "gzip"}}, "second part\n");
  EXPECT_EQ(run_one({{"mode", "decompress"}, {"format", "gzip"}}, a.content + b.content).content,
            "first part\nsecond part\n");
}

TEST(CompressContentTest, AnUnknownMimeTypeGoesToFailureWithTheReason) {
  const auto failed = run_one({{"mode", "decompress"}, {"format", "use_mime_type"}}, "x",
                              {{"mime.type", "text/plain"}}, "failure");
  EXPECT_THAT(failed.attribute("compresscontent.failure.reason"),
              HasSubstr("mime.type 'text/plain' names no supported compression format"));
}

TEST(CompressContentTest, BadConfigurationsAreRefused) {
  ProcessorRunner runner(compress_content_definition());
  runner.set_property("format", "bzip2").set_property("level", "high");
  EXPECT_EQ(runner.validate().size(), 2U);

  ProcessorRunner out_of_range(compress_content_definition());
  out_of_range.set_property("format", "gzip").set_property("level", "12");
  out_of_range.enqueue("x");
  EXPECT_THROW(out_of_range.run(), std::exception);  // gzip levels are 0-9: refused at start

  ProcessorRunner compress_by_mime(compress_content_definition());
  compress_by_mime.set_property("format", "use_mime_type");
  compress_by_mime.enqueue("x");
  EXPECT_THROW(compress_by_mime.run(), std::exception);
}

TEST(CompressionCodecsTest, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xe3069283U);  // the CRC-32C check value
}

}  // namespace
}  // namespace sluice::standard
