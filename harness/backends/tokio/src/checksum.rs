//! bench::Checksum (harness/common/include/bench/checksum.hpp), bit for bit: linear in the data and
//! weighted by position, so blocks may be added in any order and at any offset.

#[derive(Default, Clone, Copy)]
pub struct Checksum {
    h: u64,
}

impl Checksum {
    /// Adds the bytes that sit at file offset `offset`.
    pub fn add(&mut self, mut offset: u64, data: &[u8]) {
        let mut p = data;
        while !p.is_empty() && (offset & 7) != 0 {
            self.add_byte(offset, p[0]);
            offset += 1;
            p = &p[1..];
        }
        let index = offset >> 3;
        let words = p.len() / 8;
        let mut sum = 0u64;
        for (i, w) in p[..words * 8].chunks_exact(8).enumerate() {
            let w = u64::from_le_bytes(w.try_into().unwrap());
            sum = sum.wrapping_add(w.wrapping_mul(2u64.wrapping_mul(index.wrapping_add(i as u64)).wrapping_add(1)));
        }
        self.h = self.h.wrapping_add(sum);
        offset += 8 * words as u64;
        for &b in &p[words * 8..] {
            self.add_byte(offset, b);
            offset += 1;
        }
    }

    /// The mixed final value the runner compares.
    pub fn value(&self) -> u64 {
        let mut x = self.h ^ 0x9E37_79B9_7F4A_7C15;
        x ^= x >> 30;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 27;
        x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
        x
    }

    pub fn merge(&mut self, other: &Checksum) {
        self.h = self.h.wrapping_add(other.h);
    }

    fn add_byte(&mut self, offset: u64, b: u8) {
        let weight = 2u64.wrapping_mul(offset >> 3).wrapping_add(1);
        self.h = self.h.wrapping_add(((b as u64) << (8 * (offset & 7))).wrapping_mul(weight));
    }
}

/// bench::data_word: word i of the benchmark's data file is splitmix64(i + seed).
pub fn data_word(index: u64, seed: u64) -> u64 {
    let mut z = index.wrapping_add(seed).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize, seed: u64) -> Vec<u8> {
        let mut v = Vec::with_capacity(len + 8);
        let mut i = 0;
        while v.len() < len {
            v.extend_from_slice(&data_word(i, seed).to_le_bytes());
            i += 1;
        }
        v.truncate(len);
        v
    }

    // Values printed by the C++ bench::Checksum (harness/common/include/bench/checksum.hpp) for the
    // same inputs (bench::fill_data(0, buf, 1000003, 7)). The conformance suite checks the same
    // against every file the tests write (file_read_test.cpp compares with checksum_hex()).
    #[test]
    fn matches_the_cpp_checksum() {
        let mut empty = Checksum::default();
        empty.add(0, &[]);
        assert_eq!(format!("{:016x}", empty.value()), "e220a8397b1dcdaf");
        let d = data(1_000_003, 7);
        let mut whole = Checksum::default();
        whole.add(0, &d);
        assert_eq!(format!("{:016x}", whole.value()), "3f172bff1d3d8f93");
    }

    #[test]
    fn order_and_split_do_not_matter() {
        let d = data(70_001, 3);
        let mut whole = Checksum::default();
        whole.add(0, &d);
        let mut parts = Checksum::default();
        let mut other = Checksum::default();
        parts.add(40_003, &d[40_003..]);
        other.add(5, &d[5..40_003]);
        parts.add(0, &d[..5]);
        parts.merge(&other);
        assert_eq!(whole.value(), parts.value());
        let mut wrong = d.clone();
        wrong[12_345] ^= 1;
        let mut w = Checksum::default();
        w.add(0, &wrong);
        assert_ne!(whole.value(), w.value());
    }
}
