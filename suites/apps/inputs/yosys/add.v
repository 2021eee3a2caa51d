// A 4-bit registered adder: read, elaborated and evaluated by yosys.
module top(input [3:0] a, input [3:0] b, output [4:0] y);
  assign y = a + b;
endmodule
