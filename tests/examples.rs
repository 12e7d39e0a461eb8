//! The examples, run as programs and held to what they promise: XOR's four
//! answers, the textbook's shopping graph, and the seed network's gradients
//! against a reference computed here from scratch.

use std::process::Command;

/// Runs the example `name` and returns its stdout.
fn run_example(name: &str) -> String {
    let mut path = std::env::current_exe().expect("test binary path");
    path.pop(); // the test binary
    path.pop(); // deps/
    // `cargo test` builds the examples, but not when it runs only this file.
    let profile = path.file_name().and_then(|p| p.to_str()) == Some("release");
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "--quiet", "--example", name]);
    if profile {
        build.arg("--release");
    }
    assert!(
        build.status().expect("cargo runs").success(),
        "building {name} failed"
    );
    path.push("examples");
    path.push(name);
    let output = Command::new(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn xor_learns_xor_and_ends_with_its_four_answers() {
    let out = run_example("xor");
    let lines: Vec<&str> = out.lines().collect();
    let answers = &lines[lines.len() - 4..];
    // Xoshiro128++ from seed 42 and exactly rounded f32 initialisation: the
    // same start, so the same answers, on every machine.
    assert_eq!(
        answers,
        [
            "xor(0, 0) = 0.008",
            "xor(0, 1) = 0.983",
            "xor(1, 0) = 0.986",
            "xor(1, 1) = 0.020"
        ]
    );
    for (line, (a, b, want)) in
        answers
            .iter()
            .zip([(0, 0, 0.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, 0.0)])
    {
        let prefix = format!("xor({a}, {b}) = ");
        let y = line
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{line:?} lacks {prefix:?}"));
        assert_eq!(
            y.split('.').nth(1).map(str::len),
            Some(3),
            "three decimals: {line}"
        );
        let y: f64 = y.parse().expect("a number");
        assert!((y - want).abs() < 0.1, "{line}");
    }
    // The loss it prints falls.
    let losses: Vec<f64> = lines
        .iter()
        .filter_map(|l| l.split("loss ").nth(1))
        .map(|l| l.parse().expect("a loss"))
        .collect();
    assert!(losses.len() >= 5);
    assert!(losses.last().unwrap() * 100.0 < losses[0], "{losses:?}");
}

#[test]
fn sigmoid_example_fits_its_targets() {
    let out = run_example("sigmoid");
    let rows: Vec<Vec<f64>> = out
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| {
            l.split(']')
                .nth(1)
                .unwrap()
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4);
    for row in rows {
        let (target, after) = (row[0], row[2]);
        assert!((after - target).abs() < 0.05, "{row:?}");
    }
}

#[test]
fn textbook_graph_prints_the_textbook_numbers() {
    let out = run_example("textbook_graph");
    // The same digits as the textbook's Python, float rounding included.
    for expected in [
        "2 apples: price 220.00000000000003",
        "d price / d apple price = 2.2",
        "d price / d apple count = 110.00000000000001",
        "d price / d tax         = 200",
        "2 apples and 3 oranges: price 253.00000000000003",
        "d price / d orange price = 3.3000000000000003",
        "d price / d orange count = 11",
        "d price / d tax          = 230",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

/// The seed network as the specification gives it, parsed here rather than
/// shared with the example, so that a mistake in copying shows up.
const SPEC: &str = "
X  = [[-1.086, 0.997, 0.283, -1.506]]      T = [[-0.579]]
W1 = [[-0.339,-0.047, 0.746,-0.319,-0.222,-0.217],[ 1.103, 1.093, 0.502, 0.193, 0.369, 0.745],
      [-0.468, 0.588,-0.627,-0.319, 0.454,-0.714],[-0.070,-0.431,-0.128,-1.399,-0.886,-0.350]]
W2 = [[ 0.379,-0.071, 0.001, 0.281,-0.359, 0.116],[-0.329,-0.705,-0.160, 0.234, 0.138,-0.005],
      [ 0.977, 0.169, 0.400, 0.914,-0.528,-0.424],[ 0.712,-0.326, 0.012, 0.437, 0.364, 0.716],
      [ 0.611, 0.437,-0.315, 0.325, 0.128,-0.541],[ 0.579, 0.330, 0.019,-0.095,-0.489, 0.081]]
W3 = [[ 0.191,-0.339, 0.474,-0.448,-0.867, 0.424],[-0.165,-0.051,-0.342,-0.656, 0.512,-0.281],
      [ 0.678, 0.330,-0.128,-0.443,-0.299,-0.495],[ 0.852, 0.067, 0.470,-0.517, 0.074, 0.481],
      [-0.137, 0.421,-0.443,-0.557, 0.155,-0.155],[ 0.262,-0.807, 0.291, 1.061,-0.010, 0.014]]
W4 = [[0.073],[-0.760],[0.174],[-0.655],[-0.175],[0.507]]
B1 = [-0.760, 0.174,-0.655,-0.175, 0.507,-0.300]   B2 = [ 0.205, 0.413, 0.114,-0.560,-0.136, 0.800]
B3 = [-0.827,-0.113,-0.225, 0.049, 0.305, 0.657]   B4 = [-0.270]
";

/// The rows of `name = [...]` in `SPEC` (a bias is one row).
fn spec_matrix(name: &str) -> Vec<Vec<f64>> {
    // `NAME` at the start of a word, then spaces, then `= `.
    let start = SPEC
        .match_indices(name)
        .map(|(i, _)| i)
        .find(|&i| {
            let before = SPEC[..i].chars().last().is_none_or(char::is_whitespace);
            before
                && SPEC[i + name.len()..]
                    .trim_start_matches(' ')
                    .starts_with("= ")
        })
        .expect("name in spec");
    let start = start + SPEC[start..].find('=').unwrap() + 2;
    let mut depth = 0;
    let mut end = start;
    for (i, c) in SPEC[start..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            end = start + i + 1;
            break;
        }
    }
    let text = &SPEC[start..end];
    let nested = text.starts_with("[[");
    let body = if nested {
        &text[1..text.len() - 1]
    } else {
        text
    };
    let rows: Vec<Vec<f64>> = body
        .split(']')
        .map(|r| r.trim_matches(|c: char| c == ',' || c == '[' || c.is_whitespace()))
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.split(',')
                .map(|v| v.trim().parse().expect("a number"))
                .collect()
        })
        .collect();
    rows
}

/// Parameters of the reference: (weights, bias) per layer.
type Reference = Vec<(Vec<Vec<f64>>, Vec<f64>)>;

/// The network's output for `x`, straight from the definition: ReLU after
/// every layer but the last.
fn reference_output(layers: &Reference, x: &[f64]) -> f64 {
    let mut h = x.to_vec();
    for (i, (w, b)) in layers.iter().enumerate() {
        let mut next: Vec<f64> = b.clone();
        for (k, hk) in h.iter().enumerate() {
            for (j, n) in next.iter_mut().enumerate() {
                *n += hk * w[k][j];
            }
        }
        if i + 1 < layers.len() {
            next.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        h = next;
    }
    h[0]
}

/// Weight `[r][c]` of `layer`, or its bias `c` when `r` is one past the last row.
fn parameter(layers: &mut Reference, layer: usize, r: usize, c: usize) -> &mut f64 {
    let (weights, bias) = &mut layers[layer];
    if r < weights.len() {
        &mut weights[r][c]
    } else {
        &mut bias[c]
    }
}

#[test]
fn seed_gradients_match_finite_differences_of_the_definition() {
    let x = spec_matrix("X")[0].clone();
    let t = spec_matrix("T")[0][0];
    let mut layers: Reference = (1..=4)
        .map(|i| {
            (
                spec_matrix(&format!("W{i}")),
                spec_matrix(&format!("B{i}"))[0].clone(),
            )
        })
        .collect();
    let loss = |layers: &Reference| (reference_output(layers, &x) - t).powi(2);

    let out = run_example("seed_gradients");
    let objects: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let names: Vec<&str> = objects
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Y", "loss", "dW1", "dB1", "dW2", "dB2", "dW3", "dB3", "dW4", "dB4"
        ]
    );
    let data = |i: usize| -> Vec<f64> {
        objects[i]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let shape = |i: usize| {
        (
            objects[i]["rows"].as_u64().unwrap(),
            objects[i]["cols"].as_u64().unwrap(),
        )
    };

    let y = reference_output(&layers, &x);
    assert!((data(0)[0] - y).abs() < 1e-12, "Y {} vs {y}", data(0)[0]);
    assert!((data(1)[0] - loss(&layers)).abs() < 1e-12);
    // By hand: the last bias gradient is dL/dY = 2(Y - T).
    assert!((data(9)[0] - 2.0 * (y - t)).abs() < 1e-12);

    let h = 1e-6;
    let mut checked = 0;
    for layer in 0..4 {
        let (rows, cols) = (layers[layer].0.len(), layers[layer].0[0].len());
        assert_eq!(shape(2 + 2 * layer), (rows as u64, cols as u64));
        assert_eq!(shape(3 + 2 * layer), (1, cols as u64));
        let (d_w, d_b) = (data(2 + 2 * layer), data(3 + 2 * layer));
        for r in 0..=rows {
            for c in 0..cols {
                // Row `rows` stands for the bias.
                let got = if r < rows { d_w[r * cols + c] } else { d_b[c] };
                *parameter(&mut layers, layer, r, c) += h;
                let up = loss(&layers);
                *parameter(&mut layers, layer, r, c) -= 2.0 * h;
                let down = loss(&layers);
                *parameter(&mut layers, layer, r, c) += h;
                let numeric = (up - down) / (2.0 * h);
                assert!(
                    (got - numeric).abs() <= 1e-6 * (1.0 + numeric.abs()),
                    "layer {} {}: {got} vs {numeric}",
                    layer + 1,
                    if r < rows {
                        format!("dW[{r}][{c}]")
                    } else {
                        format!("dB[{c}]")
                    }
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 6 + 6 + 6 * 6 + 6 + 6 * 6 + 6 + 6 + 1);
}
