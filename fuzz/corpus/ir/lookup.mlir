func.func @s(%i: i32) -> f32 {
  %0 = act.lookup %i [1.0, 2.0, 3.0, 4.0] : i32 -> f32
  return %0 : f32
}
func.func @v(%i: vector<16xi32>, %j: vector<5xi32>) -> (vector<16xf32>, vector<5xf32>) {
  %0 = act.lookup %i [0.5, 0.25] : vector<16xi32> -> vector<16xf32>
  %1 = act.lookup %j [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] : vector<5xi32> -> vector<5xf32>
  return %0, %1 : vector<16xf32>, vector<5xf32>
}
