//! Seeded weight initialisation: Xavier (Glorot) and He.
//!
//! Both draw from a uniform distribution whose variance is the scheme's
//! (`1/IN` for Xavier as the textbook uses it, `2/IN` for He). A uniform draw
//! needs only exactly rounded IEEE operations (a division, a multiplication
//! and a `sqrt` for the limit, [`Scalar::uniform_symmetric`] and one
//! multiplication per weight), all in the network's own element type, so a
//! seed gives the same weights bit for bit with or without `std`, on any
//! CPU, soft-float included, and an `f32` network is initialised without any
//! `f64` arithmetic. (A normal draw would need `ln` and `cos`, whose last bits
//! differ between math libraries.)
//!
//! For weights that must match across targets, use an RNG whose output does not
//! depend on the platform: `rand::rngs::StdRng` (ChaCha12) does, and so do the
//! small generators of `rand_xoshiro` (`Xoshiro128PlusPlus`, 16 bytes of
//! state, 32-bit operations only) and `rand_pcg`; `SmallRng` does not (it is
//! a different algorithm on 32- and 64-bit CPUs).

use num_traits::{Float, NumCast};
use rand::Rng;

use crate::{Matrix, Scalar};

/// How to draw initial weights for a layer with `inputs` inputs and `outputs`
/// outputs.
///
/// ```
/// use constnet::Init;
/// assert_eq!(Init::Xavier.limit(3, 100), 1.0); // sqrt(3 * 1 / 3)
/// assert_eq!(Init::He.limit(6, 100), 1.0); // sqrt(3 * 2 / 6)
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Init {
    /// Xavier/Glorot: variance `1 / inputs`, suited to sigmoid and tanh.
    #[default]
    Xavier,
    /// He: variance `2 / inputs`, suited to ReLU.
    He,
}

impl Init {
    /// The half-width `a` of the uniform range `[-a, a)`, whose variance `a²/3`
    /// is the scheme's.
    pub fn limit(self, inputs: usize, outputs: usize) -> f64 {
        self.limit_in(inputs, outputs)
    }

    /// [`limit`](Init::limit) in the element type `T`: `f32` weights get an
    /// `f32` limit, computed with `f32` operations.
    fn limit_in<T: Scalar>(self, inputs: usize, _outputs: usize) -> T {
        let gain: T = match self {
            Init::Xavier => T::one(),
            Init::He => T::one() + T::one(),
        };
        // Exact for any layer width below 2^24; the fallback is never taken
        // (every usize converts to a float).
        let inputs: T = NumCast::from(inputs.max(1)).unwrap_or_else(T::max_value);
        let three = T::one() + T::one() + T::one();
        Float::sqrt(three * (gain / inputs))
    }

    /// A `R x C` matrix of weights for a layer with `R` inputs and `C` outputs,
    /// drawn from `rng`.
    ///
    /// ```
    /// use constnet::{Init, Matrix};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let a: Matrix<3, 2> = Init::He.weights(&mut StdRng::seed_from_u64(7));
    /// let b: Matrix<3, 2> = Init::He.weights(&mut StdRng::seed_from_u64(7));
    /// assert_eq!(a, b);
    /// assert!(a.as_slice().iter().all(|w| w.abs() <= 2.0_f32.sqrt())); // sqrt(3 * 2 / 3)
    /// ```
    pub fn weights<const R: usize, const C: usize, T: Scalar, G: Rng + ?Sized>(
        self,
        rng: &mut G,
    ) -> Matrix<R, C, T> {
        let mut weights = Matrix::zeros();
        self.fill(&mut weights, rng);
        weights
    }

    /// Overwrites `weights`, those of a layer with `R` inputs and `C`
    /// outputs, with draws from `rng`: the same values as
    /// [`weights`](Init::weights), in place, so that a matrix on the heap is
    /// initialised there.
    ///
    /// ```
    /// use constnet::{Init, Matrix};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let mut w = Matrix::<3, 2>::zeros();
    /// Init::He.fill(&mut w, &mut StdRng::seed_from_u64(7));
    /// assert_eq!(w, Init::He.weights(&mut StdRng::seed_from_u64(7)));
    /// ```
    pub fn fill<const R: usize, const C: usize, T: Scalar, G: Rng + ?Sized>(
        self,
        weights: &mut Matrix<R, C, T>,
        rng: &mut G,
    ) {
        let limit: T = self.limit_in(R, C);
        for w in weights.as_mut_slice() {
            *w = limit * T::uniform_symmetric(rng);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_xoshiro::Xoshiro128PlusPlus;

    #[test]
    fn same_seed_same_weights() {
        let a: Matrix<4, 6, f64> = Init::Xavier.weights(&mut StdRng::seed_from_u64(1));
        let b: Matrix<4, 6, f64> = Init::Xavier.weights(&mut StdRng::seed_from_u64(1));
        let c: Matrix<4, 6, f64> = Init::Xavier.weights(&mut StdRng::seed_from_u64(2));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn first_draws_are_pinned() {
        // StdRng's and Xoshiro128++'s streams are fixed for a release and
        // the arithmetic is exactly rounded f32 (f64 for f64 weights), so
        // these bits hold with or without `std`, on every target (CI runs
        // this test both ways; the embedded programs draw the same weights).
        let w: Matrix<2, 4> = Init::Xavier.weights(&mut StdRng::seed_from_u64(42));
        let bits = w.as_slice().iter().map(|x| x.to_bits());
        assert!(bits.eq([
            3211124902, 1032141314, 3206385401, 1037456726, 1063716718, 1051403626, 1067034774,
            3194750539,
        ]));
        // The `xor` example's first layer.
        let w: Matrix<2, 4> = Init::Xavier.weights(&mut Xoshiro128PlusPlus::seed_from_u64(42));
        let bits = w.as_slice().iter().map(|x| x.to_bits());
        assert!(bits.eq([
            1049684133, 3194026519, 3197532774, 3201633867, 1059858776, 1065776376, 1067165202,
            1054117533,
        ]));
        let w: Matrix<2, 3, f64> = Init::He.weights(&mut StdRng::seed_from_u64(7));
        assert_eq!(
            w,
            Matrix::new([
                [-1.6270283888293653, -0.6682727173455194, -1.237923882154998],
                [0.14728385451965917, -0.7880925496645446, 1.5627646746760944]
            ])
        );
    }

    #[test]
    fn f32_weights_are_the_f32_limit_times_a_draw() {
        // sqrt(3 * 2 / 6) = 1 exactly: He weights of a 6-input layer are
        // the draws themselves, multiples of 2^-23 in [-1, 1).
        let w: Matrix<6, 5> = Init::He.weights(&mut Xoshiro128PlusPlus::seed_from_u64(5));
        let mut rng = Xoshiro128PlusPlus::seed_from_u64(5);
        for &x in w.as_slice() {
            assert_eq!(x, f32::uniform_symmetric(&mut rng));
        }
        // sqrt(3 · (1/7)) in f32: 1/7 rounds to 0.14285715, times 3 to
        // 0.42857146, whose square root rounds to 0.65465367 (0x3F279762).
        assert_eq!(Init::Xavier.limit_in::<f32>(7, 1).to_bits(), 0x3F27_9762);
        assert_eq!(Init::Xavier.limit(7, 1), (3.0_f64 / 7.0).sqrt());
    }

    #[test]
    fn variance_matches_the_scheme() {
        let mut rng = StdRng::seed_from_u64(3);
        let w: Matrix<50, 200, f64> = Init::He.weights(&mut rng);
        let n = w.as_slice().len() as f64;
        let mean = w.sum() / n;
        let variance = w.map(|x| (x - mean) * (x - mean)).sum() / n;
        // He: 2 / 50 = 0.04; 10,000 draws put the estimate within a few percent.
        assert!((variance - 0.04).abs() < 0.002, "variance {variance}");
        assert!(mean.abs() < 0.01, "mean {mean}");
        let limit = Init::He.limit(50, 200);
        assert!(w.as_slice().iter().all(|x| x.abs() <= limit));
    }
}
