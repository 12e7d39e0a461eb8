//! Seeded weight initialisation: Xavier (Glorot) and He.
//!
//! Both draw from a uniform distribution whose variance is the scheme's
//! (`1/IN` for Xavier as the textbook uses it, `2/IN` for He). A uniform draw
//! needs only one multiplication and one `sqrt`, both exactly rounded in IEEE
//! arithmetic, so a seed gives the same weights bit for bit with or without
//! `std`, on any CPU, soft-float included. (A normal draw would need `ln` and
//! `cos`, whose last bits differ between math libraries.)
//!
//! For weights that must match across targets, use an RNG whose output does not
//! depend on the platform: `rand::rngs::StdRng` does; `SmallRng` does not (it is
//! a different algorithm on 32- and 64-bit CPUs).

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
    pub fn limit(self, inputs: usize, _outputs: usize) -> f64 {
        let variance = match self {
            Init::Xavier => 1.0,
            Init::He => 2.0,
        } / inputs.max(1) as f64;
        num_traits::Float::sqrt(3.0 * variance)
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
        let limit = self.limit(R, C);
        for w in weights.as_mut_slice() {
            *w = T::from_f64(limit * (2.0 * rng.random::<f64>() - 1.0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

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
        // StdRng's stream is fixed for a rand release and the arithmetic is
        // exactly rounded, so these bits hold with or without `std`, on
        // every target (CI runs this test both ways).
        let w: Matrix<2, 4> = Init::Xavier.weights(&mut StdRng::seed_from_u64(42));
        let bits = w.as_slice().iter().map(|x| x.to_bits());
        assert!(bits.eq([
            1032141321, 1037456727, 1051403627, 3194750534, 3214016491, 3193262036, 1058333104,
            1062928711,
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
