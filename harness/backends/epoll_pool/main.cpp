#include "backend.hpp"

int main(int argc, char** argv) {
  return bench::backend_main(argc, argv,
                             bench::Backend{"epoll_pool", epoll_pool::serve, epoll_pool::file_read, epoll_pool::copy_chain});
}
