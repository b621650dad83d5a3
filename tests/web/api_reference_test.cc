// web/API.md lists exactly the routes the server has: a route added without its line in
// the reference, or a line left for a route that is gone, fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/web/web_fixture.h"

namespace intake::web {
namespace {

class ApiReferenceTest : public WebFixture {};

TEST_F(ApiReferenceTest, ListsEveryRouteOfTheServerAndNoOther) {
  std::ifstream in(std::string(INTAKE_SOURCE_DIR) + "/web/API.md");
  ASSERT_TRUE(in) << "web/API.md is missing";
  std::set<std::string> documented;
  for (std::string line; std::getline(in, line);) {
    // "| `GET` | `/api/me` | …"
    if (line.rfind("| `", 0) != 0) continue;
    const size_t m_end = line.find('`', 3);
    const size_t p_start = line.find('`', m_end + 1);
    const size_t p_end = line.find('`', p_start + 1);
    ASSERT_NE(p_end, std::string::npos) << line;
    documented.insert(line.substr(3, m_end - 3) + " " +
                      line.substr(p_start + 1, p_end - p_start - 1));
  }
  std::set<std::string> served;
  for (const Route& r : server().router().routes()) {
    served.insert(std::string(MethodName(r.method)) + " " + r.pattern);
  }
  for (const std::string& route : served) {
    EXPECT_TRUE(documented.count(route)) << route << " is not in web/API.md";
  }
  for (const std::string& route : documented) {
    EXPECT_TRUE(served.count(route)) << route << " is in web/API.md but not served";
  }
  EXPECT_GE(served.size(), 40u);
}

}  // namespace
}  // namespace intake::web
