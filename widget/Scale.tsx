/** A row of numbered radios with the meaning of both ends written under it. */
export interface ScaleProps {
  /** Form field name; also makes the ids of the end labels unique. */
  name: string
  min: number
  max: number
  /** Id of the element that names the group (the question). */
  labelledBy: string
  low: string
  high: string
}

/**
 * Native radios sharing one name: the browser gives arrow-key movement and a single tab stop.
 * Each radio is named by its number alone; the two end radios are described by their end label.
 */
export function Scale({ name, min, max, labelledBy, low, high }: ScaleProps) {
  const lowId = `${name}-low`
  const highId = `${name}-high`
  const values = Array.from({ length: max - min + 1 }, (_, index) => min + index)
  return [
    <div class={`scale n${values.length}`} role="radiogroup" aria-labelledby={labelledBy}>
      {values.map((value) => (
        <label class="option" key={value}>
          <input type="radio" name={name} value={value} aria-describedby={value === min ? lowId : value === max ? highId : undefined} />
          <span>{value}</span>
        </label>
      ))}
    </div>,
    <div class="ends" aria-hidden="true">
      <span id={lowId}>{low}</span>
      <span id={highId}>{high}</span>
    </div>,
  ]
}
