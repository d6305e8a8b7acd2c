import { z } from 'zod';

import { durationMs, text } from '../../config/fields.js';
import { isoInstantMs, timeZoneName } from '../../timeseries/iso-instant.js';

/** The `sensor_data` section for `type: csv`: real sensor readings from CSV files. */
export const csvSensorDataSchema = z
  .object({
    type: z.literal('csv'),
    /** Folder of the CSV files; a relative path is read from the working directory. */
    folder: text(),
    /** File names inside `folder`; default: every `*.csv` file there, in name order. */
    files: z
      .array(text())
      .min(1, { error: 'list at least one file, or leave files out' })
      .optional(),
    /** Field separator; default: `;` or `,`, detected from each file's header line. */
    delimiter: z.string().length(1, { error: 'expected one character' }).optional(),
    /** Header name of the timestamp column. */
    timestamp_column: text().prefault('datetime'),
    /** IANA zone of timestamps written without an offset. */
    time_zone: timeZoneName().prefault('UTC'),
    /** CSV column -> tag name; default: every numeric column under its own header name. */
    columns: z.record(z.string(), text()).optional(),
    /**
     * Replays the recording onto any time: real time t reads data time
     * `origin + ((t - origin) mod period)`.
     */
    replay: z
      .object({
        /** An instant of the recording that maps to itself, e.g. "2020-03-09T10:14:00Z". */
        origin: isoInstantMs(),
        /** Length of one cycle, e.g. "21m". */
        period: durationMs({ max: Number.MAX_SAFE_INTEGER }),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CsvSensorDataConfig = z.output<typeof csvSensorDataSchema>;
