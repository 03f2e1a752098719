/** A row of numbered radios with the meaning of both ends written beside it. */
export interface ScaleProps {
  /** Form field name; also makes the ids of the end labels unique. */
  name: string
  min: number
  max: number
  /** Id of the element that names the group (the question). */
  labelledBy: string
  low: string
  high: string
  /** The value checked when the scale appears (a score being changed, a rating kept). */
  checked?: number | undefined
  /** A click or tap on a value: it counts at once. Arrow keys and Space only move the selection. */
  onPick?: ((value: number) => void) | undefined
}

/**
 * Native radios sharing one name: the browser gives arrow-key movement and a single tab stop.
 * Each radio is named by its number alone; the two end radios are described by their end label.
 * A pointer's click has `detail` ≥ 1; the click a browser fires for an arrow key or Space has 0.
 */
export function Scale({ name, min, max, labelledBy, low, high, checked, onPick }: ScaleProps) {
  const lowId = `${name}-low`
  const highId = `${name}-high`
  const values = Array.from({ length: max - min + 1 }, (_, index) => min + index)
  return (
    <div class="range">
      <div class={`scale n${values.length}`} role="radiogroup" aria-labelledby={labelledBy}>
        {values.map((value) => (
          <label class="option" key={value}>
            <input
              type="radio"
              name={name}
              value={value}
              defaultChecked={value === checked}
              aria-describedby={value === min ? lowId : value === max ? highId : undefined}
              onClick={onPick && ((event: MouseEvent) => event.detail > 0 && onPick(value))}
            />
            <span>{value}</span>
          </label>
        ))}
      </div>
      <div class="ends" aria-hidden="true">
        <span id={lowId}>{low}</span>
        <span id={highId}>{high}</span>
      </div>
    </div>
  )
}
