//===- SupportTest.cpp - Output files and bounded quotes -----------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Support/Json.h"
#include "gelu/Support/Output.h"
#include "gelu/Support/Quote.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

using namespace gelu;

namespace {

TEST(Output, AFileIsWrittenWhole) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("gelu-output", "txt", path));
  ASSERT_FALSE(static_cast<bool>(writeOutputFile(path, "hello\n")));
  auto buffer = llvm::MemoryBuffer::getFile(path);
  ASSERT_TRUE(static_cast<bool>(buffer));
  EXPECT_EQ((*buffer)->getBuffer(), "hello\n");
  llvm::sys::fs::remove(path);
}

TEST(Output, AFullDeviceNamesTheFileAndTheReason) {
  if (!llvm::sys::fs::exists("/dev/full"))
    GTEST_SKIP() << "no /dev/full here";
  llvm::Error err = writeOutputFile("/dev/full", "x");
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_EQ(llvm::toString(std::move(err)),
            "cannot write '/dev/full': No space left on device");
}

TEST(Output, AFileWrittenInPartIsRemoved) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("gelu-output", "bin", path));
  std::string bytes(256 * 1024, 'x');
  std::string message = inChildProcess(
      [] { limitFileSize(4096); },
      [&] {
        llvm::Error err = writeOutputFile(path, bytes);
        return err ? llvm::toString(std::move(err)) : "(written)";
      });
  EXPECT_EQ(message, "cannot write '" + path.str().str() + "': File too large");
  EXPECT_FALSE(llvm::sys::fs::exists(path));
}

TEST(Output, AnUnopenableFileIsAnError) {
  llvm::Error err = writeOutputFile("/proc/gelu-jit/none/out.o", "x");
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_NE(llvm::toString(std::move(err))
                .find("cannot open '/proc/gelu-jit/none/out.o': "),
            std::string::npos);
}

TEST(Quote, ShortTextIsQuotedWhole) {
  EXPECT_EQ(bounded("gelu"), "gelu");
  std::string exact(kQuotedBytes, 'a');
  EXPECT_EQ(bounded(exact), exact);
}

TEST(Quote, LongTextIsCutAndMeasured) {
  std::string text(100 * 1000 * 1000, 'a');
  std::string quoted = bounded(text);
  EXPECT_EQ(quoted, std::string(kQuotedBytes, 'a') + "... (100000000 bytes)");
}

TEST(Quote, NoUtf8CharacterIsSplit) {
  // "é" is two bytes: a cut after 3 bytes would split the second one.
  EXPECT_EQ(bounded("ééé", 3), "é... (6 bytes)");
  EXPECT_EQ(bounded("ééé", 4), "éé... (6 bytes)");
}

TEST(Json, BytesThatAreNotUtf8AreWrittenNotAborted) {
  // A path may hold any bytes; nlohmann's plain dump() would throw (abort,
  // without exceptions) on them.
  Json value = {{"path", std::string("/tmp/\xff\xfe/cache.json")}};
  EXPECT_EQ(dumpJson(value),
            "{\"path\":\"/tmp/\xef\xbf\xbd\xef\xbf\xbd/cache.json\"}");
  OrderedJson ordered = {{"b", 1}, {"a", std::string("\xc3")}};
  EXPECT_EQ(dumpJson(ordered), "{\"b\":1,\"a\":\"\xef\xbf\xbd\"}");
}

TEST(Json, ADuplicateFieldAndBadSyntaxAreErrorsThatSayWhere) {
  auto twice = parseJson(R"({"a": {"b": 1, "b": 2}})");
  ASSERT_FALSE(static_cast<bool>(twice));
  EXPECT_EQ(llvm::toString(twice.takeError()),
            "at /a: the field 'b' is given twice (one object has one of each)");
  auto broken = parseJson("{\"a\": }");
  ASSERT_FALSE(static_cast<bool>(broken));
  std::string message = llvm::toString(broken.takeError());
  EXPECT_EQ(message.find("[json.exception"), std::string::npos) << message;
  EXPECT_NE(message.find("line 1, column 7"), std::string::npos) << message;
  auto fine = parseJson(R"({"a": [1, 2.5, "x"]})");
  ASSERT_TRUE(static_cast<bool>(fine));
  EXPECT_EQ((*fine)["a"][1].get<double>(), 2.5);
}

} // namespace
