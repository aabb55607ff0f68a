#include "plugin/plugin_loader.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kFixtures = SLUICE_TEST_PLUGINS_DIR;

std::vector<std::string> messages(const std::vector<PluginError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.message());
  return out;
}

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("sluice-plugin-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(PluginLoader, LoadsAGoodPlugin) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "good", registry);
  ASSERT_TRUE(errors.empty()) << ::testing::PrintToString(messages(errors));

  const ProcessorDefinition* alpha = registry.find("FixtureAlpha");
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(registry.find("FixtureBeta"), nullptr);
  EXPECT_THAT(registry.origin("FixtureAlpha"), HasSubstr("fixture-good"));
  EXPECT_THAT(registry.origin("FixtureAlpha"), HasSubstr("libsluice_test_fixture_good.so"));
  EXPECT_NE(alpha->create(), nullptr);

  ASSERT_EQ(loader.loaded().size(), 1U);
  EXPECT_EQ(loader.loaded()[0].name, "fixture-good");
  EXPECT_EQ(loader.loaded()[0].processor_types, (std::vector<std::string>{"FixtureAlpha", "FixtureBeta"}));
}

TEST(PluginLoader, LoadingTheSameFileTwiceIsANoop) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const fs::path file = kFixtures / "good" / "libsluice_test_fixture_good.so";
  EXPECT_FALSE(loader.load_file(file, registry).has_value());
  // Through a non-canonical spelling of the same path.
  EXPECT_FALSE(loader.load_file(kFixtures / "good" / ".." / "good" / file.filename(), registry).has_value());
  EXPECT_EQ(loader.loaded().size(), 1U);
}

TEST(PluginLoader, DefinitionsOutliveTheLoader) {
  ProcessorRegistry registry;
  {
    PluginLoader loader;
    ASSERT_TRUE(loader.load_directory(kFixtures / "good", registry).empty());
  }
  const ProcessorDefinition* beta = registry.find("FixtureBeta");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->spec.type, "FixtureBeta");
  EXPECT_NE(beta->create(), nullptr);
}

TEST(PluginLoader, RejectsAWrongAbiVersion) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "wrong_abi", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].file.filename(), "libsluice_test_fixture_wrong_abi.so");
  EXPECT_THAT(errors[0].message(), HasSubstr("libsluice_test_fixture_wrong_abi.so: "));
  EXPECT_THAT(errors[0].reason, HasSubstr("built against SDK ABI 0, engine has 3"));
  EXPECT_EQ(registry.find("FixtureOld"), nullptr);
  EXPECT_TRUE(loader.loaded().empty());
}

TEST(PluginLoader, RejectsALibraryWithoutManifest) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "missing_symbol", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].file.filename(), "libsluice_test_fixture_plain.so");
  EXPECT_THAT(errors[0].reason, HasSubstr("no 'sluice_plugin_manifest' symbol"));
}

TEST(PluginLoader, ReportsAFileThatIsNotALibrary) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "not_a_library", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].file.filename(), "x.so");
  EXPECT_THAT(errors[0].reason, HasSubstr("cannot open: "));
  // The dlopen message, without the path repeated.
  EXPECT_THAT(errors[0].reason, Not(HasSubstr("x.so")));
}

TEST(PluginLoader, RejectsTheWholeLibraryOnADuplicateType) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "duplicate", registry);
  ASSERT_EQ(errors.size(), 1U) << ::testing::PrintToString(messages(errors));
  EXPECT_EQ(errors[0].file.filename(), "libsluice_test_fixture_dup_b.so");
  EXPECT_THAT(errors[0].reason, HasSubstr("duplicate processor type 'FixtureDup': already defined by "
                                          "plugin 'fixture-dup-a'"));
  EXPECT_THAT(errors[0].reason,
              HasSubstr("plugin 'fixture-dup-b' rejected, none of its 2 processors registered"));
  EXPECT_NE(registry.find("FixtureOnlyA"), nullptr);
  EXPECT_THAT(registry.origin("FixtureDup"), HasSubstr("fixture-dup-a"));
  EXPECT_EQ(registry.find("FixtureOnlyB"), nullptr);
  ASSERT_EQ(loader.loaded().size(), 1U);
  EXPECT_EQ(loader.loaded()[0].name, "fixture-dup-a");
}

TEST(PluginLoader, RejectsEmptyTypesAndMissingCreateFunctions) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "bad_definitions", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_THAT(errors[0].reason, HasSubstr("processor #2 has an empty type"));
  EXPECT_THAT(errors[0].reason, HasSubstr("processor 'FixtureNoCreate' has no create function"));
  EXPECT_THAT(errors[0].reason, HasSubstr("none of its 3 processors registered"));
  EXPECT_EQ(registry.find("FixtureFine"), nullptr);
  EXPECT_TRUE(registry.all().empty());
}

TEST(PluginLoader, ReportsANullManifest) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "null_manifest", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_THAT(errors[0].reason, HasSubstr("returned no manifest"));
}

TEST(PluginLoader, ReportsAThrowingManifest) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(kFixtures / "throwing_manifest", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_THAT(errors[0].reason, HasSubstr("threw: fixture manifest failed"));
}

TEST(PluginLoader, ReportsAMissingFileAndDirectory) {
  ProcessorRegistry registry;
  PluginLoader loader;
  const auto file_error = loader.load_file(kFixtures / "nope" / "libsluice_nope.so", registry);
  ASSERT_TRUE(file_error.has_value());
  EXPECT_THAT(file_error->reason, HasSubstr("cannot open"));

  const auto errors = loader.load_directory(kFixtures / "nope", registry);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].file, kFixtures / "nope");
  EXPECT_THAT(errors[0].reason, HasSubstr("does not exist"));
}

TEST(PluginLoader, KeepsGoingAfterABadLibrary) {
  TempDir dir;
  fs::copy_file(kFixtures / "not_a_library" / "x.so", dir.path() / "a.so");
  fs::copy_file(kFixtures / "good" / "libsluice_test_fixture_good.so", dir.path() / "b.so");
  std::ofstream(dir.path() / "README.txt") << "ignored: not a .so\n";
  fs::create_directory(dir.path() / "subdir.so");  // not a file either

  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_directory(dir.path(), registry);
  ASSERT_EQ(errors.size(), 1U) << ::testing::PrintToString(messages(errors));
  EXPECT_EQ(errors[0].file.filename(), "a.so");
  EXPECT_NE(registry.find("FixtureAlpha"), nullptr);
}

TEST(PluginSearchPath, DefaultCliAndEnvironmentInOrderWithoutDuplicates) {
  TempDir root;
  const fs::path exe_dir = root.path() / "bin";
  const fs::path default_dir = root.path() / "lib" / "sluice" / "plugins";
  const fs::path cli = root.path() / "cli";
  const fs::path env_a = root.path() / "env-a";
  const fs::path missing_cli = root.path() / "missing-cli";
  for (const auto& d : {exe_dir, default_dir, cli, env_a}) fs::create_directories(d);

  const std::string env = env_a.string() + "::" + (root.path() / "missing-env").string() + ":" +
                          cli.string() + ":" + (default_dir / ".").string();
  const auto dirs = plugin_search_path(exe_dir, {cli, missing_cli, cli}, env);
  EXPECT_EQ(dirs, (std::vector<fs::path>{default_dir, cli, missing_cli, env_a}));
}

TEST(PluginSearchPath, MissingDefaultDirectoryIsSkipped) {
  TempDir root;
  EXPECT_TRUE(plugin_search_path(root.path() / "bin", {}, std::nullopt).empty());
}

TEST(PluginSearchPath, ReadsTheEnvironmentAndLoadsFromEveryDirectory) {
  TempDir root;
  const fs::path cli = root.path() / "cli";
  const fs::path env_dir = root.path() / "env";
  fs::create_directories(cli);
  fs::create_directories(env_dir);
  fs::copy_file(kFixtures / "good" / "libsluice_test_fixture_good.so",
                cli / "libsluice_test_fixture_good.so");
  fs::copy_file(kFixtures / "duplicate" / "libsluice_test_fixture_dup_a.so",
                env_dir / "libsluice_test_fixture_dup_a.so");

  ASSERT_EQ(::setenv(kPluginPathEnv, env_dir.c_str(), 1), 0);
  const auto dirs = plugin_search_path(root.path() / "bin", {cli, root.path() / "missing"});
  ::unsetenv(kPluginPathEnv);
  ASSERT_EQ(dirs, (std::vector<fs::path>{cli, root.path() / "missing", env_dir}));

  ProcessorRegistry registry;
  PluginLoader loader;
  const auto errors = loader.load_search_path(dirs, registry);
  ASSERT_EQ(errors.size(), 1U);  // the explicitly given directory that does not exist
  EXPECT_EQ(errors[0].file, root.path() / "missing");
  EXPECT_NE(registry.find("FixtureAlpha"), nullptr);
  EXPECT_NE(registry.find("FixtureOnlyA"), nullptr);
  EXPECT_EQ(loader.loaded().size(), 2U);
}

}  // namespace
}  // namespace sluice::internal
