#include "identify_mime_type.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using testkit::ProcessorRunner;

TEST(IdentifyMimeTypeTest, TypesFromMagicBytes) {
  ProcessorRunner runner(identify_mime_type_definition());
  runner.enqueue("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", {{"filename", "report.bin"}});
  runner.enqueue(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + std::string(20, '\0'));
  runner.enqueue("just some plain text\nwith two lines\n");
  runner.enqueue(std::string("\x00\x01\x02\x03\xfe\xff\x10\x80", 8));
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 4U);
  EXPECT_EQ(out[0].attribute("mime.type"), "application/pdf");
  EXPECT_EQ(out[0].attribute("mime.extension"), ".pdf");
  EXPECT_EQ(out[1].attribute("mime.type"), "application/gzip");
  EXPECT_EQ(out[2].attribute("mime.type"), "text/plain");
  EXPECT_EQ(out[3].attribute("mime.type"), "application/octet-stream");
  EXPECT_FALSE(out[3].attributes.contains("mime.extension"));
}

TEST(IdentifyMimeTypeTest, AMissingDatabaseRefusesToStart) {
  ProcessorRunner runner(identify_mime_type_definition());
  runner.set_property("magic_database", "/nonexistent/magic.mgc");
  EXPECT_TRUE(runner.validate().empty());
  EXPECT_THROW(runner.run(), std::exception);
}

TEST(IdentifyMimeTypeTest, ABadSizeIsReportedByValidation) {
  ProcessorRunner runner(identify_mime_type_definition());
  runner.set_property("inspect_bytes", "a lot");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_THAT(runner.validate()[0], ::testing::HasSubstr("is not a size"));
}

}  // namespace
}  // namespace sluice::standard
