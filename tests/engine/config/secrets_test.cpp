#include "config/secrets.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "../repository/repository_test_support.hpp"

namespace sluice::internal {
namespace {

TEST(SecretsTest, EnvironmentAndFileReferencesAreReplacedAnywhereInTheValue) {
  ::setenv("SLUICE_TEST_SECRET_USER", "meter-reader", 1);
  testing_support::TempDir dir;
  const auto file = dir.path() / "password";
  std::ofstream(file) << "s3cr3t\n";
  const ResolvedValue r =
      resolve_secrets("sftp://${env:SLUICE_TEST_SECRET_USER}:${file:" + file.string() + "}@host/${filename}");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.text, "sftp://meter-reader:s3cr3t@host/${filename}");  // other ${…} stay for expressions
  ::unsetenv("SLUICE_TEST_SECRET_USER");
}

TEST(SecretsTest, AnEscapedReferenceIsLeftForTheExpressionLanguageToUnescape) {
  const ResolvedValue r = resolve_secrets("$${env:HOME}");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.text, "$${env:HOME}");
}

TEST(SecretsTest, UnresolvableReferencesSayWhichAndWhere) {
  ::unsetenv("SLUICE_TEST_SECRET_MISSING");
  ResolvedValue r = resolve_secrets("x=${env:SLUICE_TEST_SECRET_MISSING}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->offset, 2U);
  EXPECT_EQ(r.error->message, "environment variable 'SLUICE_TEST_SECRET_MISSING' is not set");
  r = resolve_secrets("${file:/nonexistent/x}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "cannot read secret file '/nonexistent/x'");
  r = resolve_secrets("${env:}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "empty environment variable name");
}

TEST(SecretsTest, SensitiveValuesAreMaskedInMessages) {
  EXPECT_EQ(shown_value("hunter2", true), "********");
  EXPECT_EQ(shown_value("plain", false), "plain");
  EXPECT_FALSE(has_secret_reference("${filename}"));
  EXPECT_TRUE(has_secret_reference("a${file:/x}"));
}

}  // namespace
}  // namespace sluice::internal
