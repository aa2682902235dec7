# The one list of Asio backend sources, built twice: by this folder (epoll) and by ../asio_uring.
set(ASIO_BACKEND_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reactor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/serve.cpp
  ${CMAKE_CURRENT_LIST_DIR}/connection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/file_read.cpp
  ${CMAKE_CURRENT_LIST_DIR}/copy_chain.cpp
  ${CMAKE_CURRENT_LIST_DIR}/posix_file.cpp)
find_package(Boost 1.81 REQUIRED)
# Asio is header-only; deprecated interfaces stay out so the code uses only the current ones.
set(ASIO_BACKEND_DEFINITIONS BOOST_ASIO_NO_DEPRECATED)
