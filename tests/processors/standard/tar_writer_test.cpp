#include "tar_writer.hpp"

#include <gtest/gtest.h>

namespace sluice::standard {
namespace {

unsigned checksum_of(const std::string& block) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < 512; ++i) {
    sum += (i >= 148 && i < 156) ? unsigned{' '} : static_cast<unsigned char>(block[i]);
  }
  return sum;
}

TEST(TarWriterTest, AUstarHeaderWithOctalFieldsAndAValidChecksum) {
  const std::string h = tar_entry_header("dir/file.txt", 1234, 0644, 1700000000);
  ASSERT_EQ(h.size(), 512U);
  EXPECT_EQ(h.substr(0, 12), "dir/file.txt");
  EXPECT_EQ(h.substr(124, 12), std::string("00000002322") + '\0');  // 1234 in octal
  EXPECT_EQ(h[156], '0');
  EXPECT_EQ(h.substr(257, 6), std::string("ustar\0", 6));
  EXPECT_EQ(std::stoul(h.substr(148, 6), nullptr, 8), checksum_of(h));
}

TEST(TarWriterTest, LongNamesUseThePrefixOrAPaxHeader) {
  const std::string dir(60, 'd');
  const std::string file(60, 'f');
  const std::string split = tar_entry_header(dir + "/" + file, 1, 0644, 0);
  ASSERT_EQ(split.size(), 512U);
  EXPECT_EQ(split.substr(345, 60), dir);
  const std::string pax = tar_entry_header(std::string(150, 'x'), 1, 0644, 0);
  ASSERT_EQ(pax.size(), 3U * 512);  // pax header, its record block, the entry
  EXPECT_EQ(pax[156], 'x');
  EXPECT_NE(pax.find("path=" + std::string(150, 'x') + "\n"), std::string::npos);
}

TEST(TarWriterTest, PaddingEndAndSafeNames) {
  EXPECT_EQ(tar_padding(512).size(), 0U);
  EXPECT_EQ(tar_padding(1).size(), 511U);
  EXPECT_EQ(tar_end().size(), 1024U);
  EXPECT_EQ(tar_safe_name("/abs/./x/../y"), "abs/x/y");
  EXPECT_EQ(tar_safe_name("../.."), "");
}

}  // namespace
}  // namespace sluice::standard
