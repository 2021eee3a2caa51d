	.file	"add.c"
__SP_H__ = 0x3e
__SP_L__ = 0x3d
__SREG__ = 0x3f
__tmp_reg__ = 0
__zero_reg__ = 1
	.text
.global	add
	.type	add, @function
add:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	add r24,r22
	adc r25,r23
/* epilogue start */
	ret
	.size	add, .-add
	.ident	"GCC: (GNU) 15.2.0"
