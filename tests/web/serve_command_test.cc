// `station serve` (web/serve_command.cc): the --listen address, the refusal to start
// without an administrator (with the command that creates one), a port in use, and a
// start and clean stop on Ctrl-C.
#include "web/serve_command.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "station/cli.h"
#include "station/exit_code.h"
#include "station/interrupt.h"
#include "tests/support/temp_dir.h"

namespace intake::web {
namespace {

using ::testing::HasSubstr;

TEST(ParseListenTest, AcceptsHostPortIpv6AndABarePort) {
  auto a = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  auto b = ParseListen("[::1]:9000");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 9000);
  auto c = ParseListen("8081");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "127.0.0.1");
  auto d = ParseListen(":8082");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "127.0.0.1");
  EXPECT_EQ(d->port, 8082);
}

TEST(ParseListenTest, RefusesBadPortsAndShapesNamingTheOption) {
  for (const std::string bad : {"", "x", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                                "127.0.0.1:80a", "[::1]8080", "localhost:-1"}) {
    auto r = ParseListen(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("--listen")) << bad;
  }
}

// A port nothing listens on right now (bound to 0 and released).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class ServeCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.home = home_.path();
    env_.hostname = "testvaert";
  }
  void TearDown() override { station::SetInterruptRequestedForTesting(false); }

  int Station(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), "station");
    out_.str("");
    err_.str("");
    std::istringstream in(input);
    std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
    const int code = station::Run(args, out_, err_, env_, {&AddServeCommand});
    std::cin.rdbuf(saved);
    std::cin.clear();
    return code;
  }

  testing::ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ServeCommandTest, RefusesToStartWithoutAnAdministratorAndSaysHowToCreateOne) {
  EXPECT_EQ(Station({"serve", "--listen", "127.0.0.1:" + std::to_string(FreePort())}),
            station::kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("station user add NAVN --role administrator"));
}

TEST_F(ServeCommandTest, ABadListenAddressIsAnInputError) {
  EXPECT_EQ(Station({"serve", "--listen", "nowhere"}), station::kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--listen \"nowhere\""));
}

TEST_F(ServeCommandTest, StartsPrintsTheAddressAndStopsOnInterrupt) {
  ASSERT_EQ(Station({"--actor", "it", "user", "add", "admin", "--role", "administrator",
                     "--password-stdin"},
                    "korrekt hest batteri\n"),
            station::kExitOk)
      << err_.str();
  const int port = FreePort();
  // The interrupt is already requested: serve binds, prints its address, and stops at its
  // first check, as after Ctrl-C, and ends with the interrupted exit code like every
  // command stopped by Ctrl-C.
  station::SetInterruptRequestedForTesting(true);
  EXPECT_EQ(Station({"serve", "--listen", "127.0.0.1:" + std::to_string(port)}),
            station::kExitInterrupted)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("http://127.0.0.1:" + std::to_string(port) + "/"));
  EXPECT_THAT(out_.str(), HasSubstr("Stationen er stoppet."));
}

TEST_F(ServeCommandTest, APortInUseIsRefusedNamingTheAddress) {
  ASSERT_EQ(Station({"--actor", "it", "user", "add", "admin", "--role", "administrator",
                     "--password-stdin"},
                    "korrekt hest batteri\n"),
            station::kExitOk);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string where = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  EXPECT_EQ(Station({"serve", "--listen", where}), station::kExitDevice);
  EXPECT_THAT(err_.str(), HasSubstr("kan ikke lytte på " + where));
  close(fd);
}

}  // namespace
}  // namespace intake::web
