/** What the toolchain needs to know about a board to size firmware for it. */
export interface Board {
  name: string;
  /** Other names users type for it. */
  aliases: readonly string[];
  fqbn: string;
  cpu: string;
  cpuHz: number;
  /** Flash and RAM available to a sketch. */
  flashBytes: number;
  ramBytes: number;
  /** The core's own static RAM (.data + .bss) and flash for an empty sketch. */
  coreStaticRamBytes: number;
  coreFlashBytes: number;
  /** The core's main-thread stack, reserved out of RAM. */
  mainStackBytes: number;
  pdm: {
    /** Rates PDM.begin() accepts; any other rate must be made on the device. */
    rates: readonly number[];
    /** PDM.setBufferSize() default, in bytes (int16 samples). */
    defaultBufferBytes: number;
    /** The library holds two buffers of that size (ping-pong). */
    bufferCount: number;
  };
  /** Libraries the TFLM library header drags into a sketch (flash). */
  tflmLibraryFlashBytes: number;
  /** The sketch's own code and the front-end (flash). */
  sketchCodeFlashBytes: number;
  /** Static RAM of core and library objects a sketch instantiates, beyond the sketch's own buffers. */
  sketchOtherStaticRamBytes: number;
}
