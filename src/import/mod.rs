//! Notes to cards. (being written)
