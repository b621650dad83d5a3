// A running `station serve` in-process for the API tests: a temporary home with the
// embedded defaults, the journal (fast password hashing), the spool, and the server on a
// free port of 127.0.0.1; users added directly in the journal; an HTTP client that keeps
// one user's session cookie and CSRF token.
#ifndef INTAKE_TESTS_WEB_WEB_FIXTURE_H_
#define INTAKE_TESTS_WEB_WEB_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/users.h"
#include "tests/support/temp_dir.h"
#include "web/server.h"
#include "web/station_state.h"

namespace intake::web {

inline constexpr const char kTestPassword[] = "korrekt hest batteri";

// One logged-in browser: its cookie and CSRF token.
struct TestSession {
  std::string cookie;  // "intake_session=…"
  std::string csrf;
};

// An HTTP answer with its JSON body parsed (discarded when not JSON).
struct TestReply {
  int status = 0;
  std::string body;
  std::string content_type;
  httplib::Headers headers;
  nlohmann::json json;

  // The first value of header `name` (any letter case), or "".
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class WebFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Adds a user straight to the journal, with kTestPassword.
  void AddUser(const std::string& name, storage::Role role,
               const std::vector<std::string>& groups = {});
  // Logs in through POST /api/login; fails the test when it does not answer 200.
  TestSession Login(const std::string& name, const std::string& password = kTestPassword);

  // Requests as `session` (nullptr: no cookie). Changes send the CSRF token unless
  // `with_csrf` is false.
  TestReply Get(const TestSession* session, const std::string& path);
  TestReply Send(const std::string& method, const TestSession* session, const std::string& path,
                 const std::string& body, const std::string& content_type = "application/json",
                 bool with_csrf = true);
  TestReply Post(const TestSession* session, const std::string& path,
                 const nlohmann::json& body = nlohmann::json::object(), bool with_csrf = true);

  // The station's state (journal, spool, configuration) for setting up data; lock it
  // (state().lock) when the server may be handling a request at the same time.
  StationState& state() { return state_; }
  const std::string& home() const { return home_.path(); }
  int port() const { return port_; }
  const WebServer& server() const { return *server_; }

  // Options for the server, before SetUp (override in a derived fixture's constructor).
  ServerOptions server_options_;

 private:
  testing::ScopedTempDir home_;
  StationState state_;
  std::unique_ptr<WebServer> server_;
  int port_ = 0;
};

}  // namespace intake::web

#endif  // INTAKE_TESTS_WEB_WEB_FIXTURE_H_
