// RUN: gelu-opt %s -split-input-file -verify-diagnostics

func.func @three_entries(%i: i32) -> f32 {
  // expected-error @+1 {{'act.lookup' op has a table of 3 entries; expected a power of two from 2 to 64}}
  %0 = act.lookup %i [1.0, 2.0, 3.0] : i32 -> f32
  return %0 : f32
}

// -----

func.func @one_entry(%i: i32) -> f32 {
  // expected-error @+1 {{'act.lookup' op has a table of 1 entries; expected a power of two from 2 to 64}}
  %0 = act.lookup %i [1.0] : i32 -> f32
  return %0 : f32
}

// -----

func.func @too_long(%i: i32) -> f32 {
  // expected-error @+1 {{'act.lookup' op has a table of 128 entries; expected a power of two from 2 to 64}}
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0] : i32 -> f32
  return %0 : f32
}

// -----

func.func @shapes_differ(%i: vector<8xi32>) -> vector<16xf32> {
  // expected-error @+1 {{'act.lookup' op index 'vector<8xi32>' and result 'vector<16xf32>' differ in shape: one entry per index}}
  %0 = act.lookup %i [1.0, 2.0] : vector<8xi32> -> vector<16xf32>
  return %0 : vector<16xf32>
}

// -----

func.func @scalar_index_vector_result(%i: i32) -> vector<4xf32> {
  // expected-error @+1 {{'act.lookup' op index 'i32' and result 'vector<4xf32>' differ in shape: one entry per index}}
  %0 = act.lookup %i [1.0, 2.0] : i32 -> vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

func.func @i64_index(%i: i64) -> f32 {
  // expected-error @+1 {{'act.lookup' op index 'i64' and result 'f32' differ in width: the index is i32 for f32 entries and i64 for f64}}
  %0 = act.lookup %i [1.0, 2.0] : i64 -> f32
  return %0 : f32
}

// -----

func.func @i32_index_f64(%i: vector<8xi32>) -> vector<8xf64> {
  // expected-error @+1 {{'act.lookup' op index 'vector<8xi32>' and result 'vector<8xf64>' differ in width: the index is i32 for f32 entries and i64 for f64}}
  %0 = act.lookup %i [1.0, 2.0] : vector<8xi32> -> vector<8xf64>
  return %0 : vector<8xf64>
}

// -----

func.func @not_an_f32_entry(%i: i32) -> f32 {
  // expected-error @+1 {{'act.lookup' op has entry 1 (1.000000e-01) that is not an f32 value, in a table of f32 entries}}
  %0 = act.lookup %i [1.0, 0.1] : i32 -> f32
  return %0 : f32
}

// -----

func.func @i16_index(%i: i16) -> f32 {
  // expected-error @+1 {{'act.lookup' op operand #0 must be 32-bit signless integer or 64-bit signless integer or vector of 32-bit signless integer or 64-bit signless integer values, but got 'i16'}}
  %0 = act.lookup %i [1.0, 2.0] : i16 -> f32
  return %0 : f32
}

// -----

func.func @f16_result(%i: i32) -> f16 {
  // expected-error @+1 {{'act.lookup' op result #0 must be 32-bit float or 64-bit float or vector of 32-bit float or 64-bit float values, but got 'f16'}}
  %0 = act.lookup %i [1.0, 2.0] : i32 -> f16
  return %0 : f16
}
